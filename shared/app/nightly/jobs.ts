import type { DomainResult } from '../../domain/result';
import { err, ok } from '../../domain/result';
import type { Shop } from '../../domain/shop';
import type {
  DownloadLink,
  ExportSink,
  NightlyDeps,
  NightlyJob,
  NightlyLauncher,
  NightlyStore,
} from '../ports/nightly';
import { downloadValiditySeconds } from './assemble';
import { progressDone, startNightly, type StartOutcome } from './run';

/** The nightly run as the admin API starts and reads it (`/admin/shops/{shopId}/jobs…`). */

/**
 * A job as `GET …/jobs/{jobId}` shows it. `progress` is the stored one while the job runs (and
 * where a failed one stopped); a job that succeeded has done every step.
 */
export const jobView = (job: NightlyJob) => {
  const progress = job.status === 'succeeded' ? progressDone : job.progress;
  return {
    jobId: job.jobId,
    status: job.status,
    ...(progress ? { progress } : {}),
    ...(job.result ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
};

/**
 * Runs the churn segments for `asOf` (today, UTC, or earlier) under a new job id, handed to the
 * launcher (the state machine, or the background of this process) without waiting for it. With
 * `wait`, and only when the run would happen in this process anyway, it runs here to the end
 * (the outcome is then `finished`); a state machine always takes the run.
 */
export const requestNightly = async (
  deps: NightlyDeps,
  launcher: NightlyLauncher | undefined,
  shop: Shop,
  o: { asOf: string; totalSegments: number; wait?: boolean },
): Promise<DomainResult<StartOutcome, { kind: 'as_of_in_future' }>> => {
  if (o.asOf > deps.clock.now().toISOString().slice(0, 10)) return err({ kind: 'as_of_in_future' });
  const runHere = o.wait === true && (!launcher || launcher.inProcess === true);
  return ok(
    await startNightly(deps, runHere ? undefined : launcher, shop, {
      asOf: o.asOf,
      jobId: deps.newId(),
      trigger: 'api',
      totalSegments: o.totalSegments,
    }),
  );
};

/**
 * A job with fresh links to its exports: the stored ones may have expired (or, presigned by the
 * worker's short-lived role session, stopped working early). `sink` signs links for this reader.
 */
export const readNightlyJob = async (
  deps: { jobs: Pick<NightlyStore, 'getJob'>; sink: Pick<ExportSink, 'downloadUrl'> },
  shopId: string,
  jobId: string,
): Promise<DomainResult<ReturnType<typeof jobView>, { kind: 'not_found' }>> => {
  const job = await deps.jobs.getJob(shopId, jobId);
  if (!job) return err({ kind: 'not_found' });
  if (!job.result) return ok(jobView(job));
  const [csvLink, jsonLink] = await Promise.all([
    deps.sink.downloadUrl(job.result.export.csv.key, downloadValiditySeconds),
    deps.sink.downloadUrl(job.result.export.json.key, downloadValiditySeconds),
  ]);
  return ok(jobView({ ...job, result: { ...job.result, export: { csv: csvLink, json: jsonLink } } }));
};

/** One run of the history (`GET …/jobs`). `exports` carries fresh links once the run succeeded. */
export interface JobHistoryItem {
  jobId: string;
  status: NightlyJob['status'];
  trigger: NightlyJob['trigger'];
  asOf: string;
  startedAt: string;
  /** When it succeeded or failed; null while it runs. */
  completedAt: string | null;
  /** Customers per segment; null until the run has succeeded. */
  segments: Record<string, number> | null;
  exports: { csv: DownloadLink; json: DownloadLink } | null;
  progress: NightlyJob['progress'] | null;
  error: NightlyJob['error'] | null;
}

/** The shop's nightly runs, newest first, with fresh links to the exports of those that succeeded. */
export const listNightlyJobs = async (
  deps: { jobs: Pick<NightlyStore, 'listJobs'>; sink: Pick<ExportSink, 'downloadUrl'> },
  shopId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: JobHistoryItem[]; nextCursor: string | null }> => {
  const { items, nextCursor } = await deps.jobs.listJobs(shopId, page);
  const views = await Promise.all(
    items.map(async (job): Promise<JobHistoryItem> => {
      const exports = job.result
        ? {
            csv: await deps.sink.downloadUrl(job.result.export.csv.key, downloadValiditySeconds),
            json: await deps.sink.downloadUrl(job.result.export.json.key, downloadValiditySeconds),
          }
        : null;
      const progress = job.status === 'succeeded' ? progressDone : job.progress;
      return {
        jobId: job.jobId,
        status: job.status,
        trigger: job.trigger,
        asOf: job.asOf,
        startedAt: job.createdAt,
        completedAt: job.status === 'running' ? null : job.updatedAt,
        segments: job.result ? { ...job.result.segments } : null,
        exports,
        progress: progress ?? null,
        error: job.error ?? null,
      };
    }),
  );
  return { items: views, nextCursor: nextCursor ?? null };
};
