import type { ImportFormat, ImportKind } from '../../schemas/imports';

/** A row that could not be imported, with the line it starts on. */
export interface RowError {
  line: number;
  message: string;
}

export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';

/** Only this many row errors are stored on a job; `errorsTruncated` says more were left out. */
export const maxStoredRowErrors = 100;

/**
 * One import: what it reads, how far it got, and who is working on it. `checkpoint` is the last
 * line up to which every record is committed; a resumed run starts after it, and the rows'
 * own idempotency (balances: one key per source and customer; orders: `attribute_not_exists`)
 * makes re-reading records behind a lagging checkpoint harmless.
 */
export interface ImportJob {
  importId: string;
  shopId: string;
  kind: ImportKind;
  format: ImportFormat;
  awardPoints: boolean;
  strict: boolean;
  /** Where the file is kept (export sink key). */
  fileKey: string;
  status: ImportStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Records in the file (known once it was read), and records done so far. */
  total?: number;
  processed: number;
  checkpoint: number;
  imported: number;
  skipped: number;
  failed: number;
  errors: RowError[];
  errorsTruncated: boolean;
  /** Notes that do not fail a row (e.g. a tier name the program does not have), capped like errors. */
  warnings: RowError[];
  /** Why the whole job failed (strict mode with bad rows, an unreadable file, a crash). */
  error?: { code: string; message: string };
  /** The run holding the job until `leaseUntil`; a run whose lease lapsed may be taken over. */
  leaseOwner?: string;
  leaseUntil?: string;
  /** Runs that worked on it (1 unless resumed or taken over). */
  attempts: number;
  version: number;
}

/** Adds row errors to a job's stored list, keeping at most `maxStoredRowErrors` (lowest lines first). */
export const withRowErrors = (
  list: RowError[],
  truncated: boolean,
  more: readonly RowError[],
): { errors: RowError[]; errorsTruncated: boolean } => {
  if (!more.length) return { errors: list, errorsTruncated: truncated };
  const all = [...list, ...more].sort((a, b) => a.line - b.line);
  return { errors: all.slice(0, maxStoredRowErrors), errorsTruncated: truncated || all.length > maxStoredRowErrors };
};

/** The job as the API shows it. */
export const importView = (j: ImportJob) => ({
  importId: j.importId,
  kind: j.kind,
  format: j.format,
  awardPoints: j.awardPoints,
  strict: j.strict,
  status: j.status,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
  finishedAt: j.finishedAt ?? null,
  progress: {
    processed: j.processed,
    total: j.total ?? null,
    percent: j.total ? Math.min(100, Math.floor((100 * j.processed) / j.total)) : j.status === 'completed' ? 100 : 0,
    checkpointLine: j.checkpoint,
  },
  imported: j.imported,
  skipped: j.skipped,
  failed: j.failed,
  errors: j.errors,
  errorsTruncated: j.errorsTruncated,
  warnings: j.warnings,
  error: j.error ?? null,
  attempts: j.attempts,
});
export type ImportView = ReturnType<typeof importView>;
