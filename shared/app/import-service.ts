import { cidFor, emailHash } from '../domain/customers/identity';
import { forEachLimited } from '../domain/for-each-limited';
import { balanceImportKey, parseBalances, planOpeningBalance, type BalanceRow } from '../domain/imports/balances';
import { historyBatches, packBatches, type HistoryBatch } from '../domain/imports/history';
import { importView, maxStoredRowErrors, withRowErrors, type ImportJob, type RowError } from '../domain/imports/job';
import { parseOrders, type OrderRow } from '../domain/imports/orders';
import type { CustomerRecord } from '../domain/ledger/customer';
import type { OrderRecord } from '../domain/ledger/order-record';
import type { Plan } from '../domain/ledger/plans';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import type { BalanceFormat, ImportQuery, OrderFormat } from '../schemas/imports';
import type { Clock } from './ports/clock';
import type { NewId } from './ports/ids';
import type { ImportFiles, ImportLauncher, ImportStore } from './ports/imports';
import type { LedgerStore } from './ports/ledger';
import type { Logger } from './ports/logger';
import type { Random, RandomInt } from './ports/random';
import type { Sleep } from './ports/sleep';
import { withBuyerFacts } from './referral-service';
import { conflict, retryOnConflict, type RetryPolicy } from './retry';

/**
 * Imports from the incumbent (docs/import.md): a job per file, run in the background, that
 * commits a chunk of records at a time and then moves its checkpoint. Every record is applied
 * exactly once by its own idempotency (balances: a key per source and member in the entry's
 * transaction; orders: `attribute_not_exists` or the import's own version on each order item),
 * so a run that dies anywhere and is resumed from a lagging checkpoint doubles nothing.
 */
export interface ImportDeps {
  imports: ImportStore;
  ledger: Pick<LedgerStore, 'cidsByEmailHash' | 'getCustomer' | 'commit'>;
  files: ImportFiles;
  shops: { get(shopId: string): Promise<Shop | undefined> };
  clock: Clock;
  newId: NewId;
  random: Random;
  /** Referral codes for imported customers (as their first live order would give them). */
  randomInt: RandomInt;
  sleep: Sleep;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** How long a run holds a job without checkpointing before another may take it over (default 5 min). */
  leaseMs?: number;
  /** Records per checkpoint (default: 500 balances, 50,000 orders: a customer is written once per chunk). */
  chunkSize?: number;
  /** Customers written at once (default 16). */
  concurrency?: number;
}

const defaultLeaseMs = 5 * 60_000;
/** History writes of one customer may meet live webhooks: more patience than a request has. */
const historyPolicy: RetryPolicy = { attempts: 20, budgetMs: 30_000, baseDelayMs: 20, maxDelayMs: 1_000 };
/** How long an upload URL is valid. */
const uploadUrlSeconds = 3600;

const extensionOf = (format: string) => (format.endsWith('jsonl') ? 'jsonl' : 'csv');

export type StartError = { kind: 'empty_file' } | { kind: 'upload_not_found' } | { kind: 'not_utf8' };

/** Creates the job for a file (the request body, or an upload named by `s3Key`) and starts its run. */
export const startImport = async (
  deps: ImportDeps,
  launcher: ImportLauncher,
  shop: Shop,
  query: ImportQuery,
  body: Buffer,
): Promise<DomainResult<ImportJob, StartError>> => {
  const importId = deps.newId();
  let fileKey: string;
  if (query.s3Key) {
    if (!query.s3Key.startsWith(`imports/${shop.id}/uploads/`)) return err({ kind: 'upload_not_found' });
    if ((await deps.files.get(query.s3Key)) === undefined) return err({ kind: 'upload_not_found' });
    fileKey = query.s3Key;
  } else {
    if (body.length === 0) return err({ kind: 'empty_file' });
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    if (text.includes('\uFFFD')) return err({ kind: 'not_utf8' });
    fileKey = `imports/${shop.id}/${importId}/file.${extensionOf(query.format)}`;
    await deps.files.put(fileKey, text);
  }
  const now = deps.clock.now().toISOString();
  const job: ImportJob = {
    importId,
    shopId: shop.id,
    kind: query.kind,
    format: query.format,
    awardPoints: query.awardPoints,
    strict: query.strict,
    fileKey,
    status: 'queued',
    createdAt: now,
    updatedAt: now,
    processed: 0,
    checkpoint: 0,
    imported: 0,
    skipped: 0,
    failed: 0,
    errors: [],
    errorsTruncated: false,
    warnings: [],
    attempts: 0,
    version: 0,
  };
  await deps.imports.create({ ...job, version: 1 });
  await launcher.start({ shopId: shop.id, importId });
  return ok({ ...job, version: 1 });
};

/** A place to upload a file too large for a request body: its key (for `s3Key=`) and a URL to PUT it to. */
export const createUpload = async (deps: Pick<ImportDeps, 'files' | 'newId' | 'clock'>, shop: Shop) => {
  const s3Key = `imports/${shop.id}/uploads/${deps.newId()}/file`;
  return {
    s3Key,
    url: await deps.files.uploadUrl(s3Key, uploadUrlSeconds),
    method: 'PUT' as const,
    expiresAt: new Date(deps.clock.now().getTime() + uploadUrlSeconds * 1000).toISOString(),
  };
};

export const readImport = async (deps: Pick<ImportDeps, 'imports'>, shopId: string, importId: string) => {
  const job = await deps.imports.get(shopId, importId);
  return job ? ok(importView(job)) : err({ kind: 'not_found' as const });
};

export const listImports = async (deps: Pick<ImportDeps, 'imports'>, shopId: string, limit: number) =>
  (await deps.imports.list(shopId, limit)).map(importView);

export type ResumeError = { kind: 'not_found' } | { kind: 'completed' } | { kind: 'running'; leaseUntil: string };

/**
 * Starts another run of an import that failed or whose run stopped (its lease lapsed): it goes on
 * from the checkpoint. A job still held by a live run, or already completed, is left alone.
 */
export const resumeImport = async (
  deps: ImportDeps,
  launcher: ImportLauncher,
  shopId: string,
  importId: string,
): Promise<DomainResult<ImportJob, ResumeError>> => {
  const job = await deps.imports.get(shopId, importId);
  if (!job) return err({ kind: 'not_found' });
  if (job.status === 'completed') return err({ kind: 'completed' });
  const now = deps.clock.now().toISOString();
  if (job.status === 'running' && job.leaseUntil && job.leaseUntil > now)
    return err({ kind: 'running', leaseUntil: job.leaseUntil });
  const { error: _error, ...rest } = job;
  const write = bumped(rest as ImportJob, { status: 'queued', updatedAt: now });
  if (!(await deps.imports.save(shopId, write))) return err({ kind: 'running', leaseUntil: job.leaseUntil ?? now });
  await launcher.start({ shopId, importId });
  return ok(write.next);
};

/** What one chunk did. */
interface ChunkResult {
  imported: number;
  skipped: number;
  failed: RowError[];
  warnings: RowError[];
}

/**
 * One run of an import, to its end or until it loses its lease: claims the job, reads and
 * parses the file, and commits it a chunk at a time after the checkpoint. `owner` names this run.
 */
export const runImport = async (
  deps: ImportDeps,
  run: { shopId: string; importId: string },
  owner: string = deps.newId(),
): Promise<ImportJob | undefined> => {
  let job = await claim(deps, run, owner);
  if (!job) return undefined;
  try {
    const shop = await deps.shops.get(run.shopId);
    const text = shop && (await deps.files.get(job.fileKey));
    if (!shop || text === undefined)
      return await finish(deps, job, 'failed', { code: 'file_missing', message: 'The import file is gone' });
    const receivedAt = deps.clock.now();
    const parsed =
      job.kind === 'balances'
        ? parseBalances(text, job.format as BalanceFormat)
        : parseOrders(text, job.format as OrderFormat, { shopCurrency: shop.currency, receivedAt });
    const total = parsed.rows.length + parsed.errors.length;
    if (job.strict && parsed.errors.length) {
      const failed = { ...job, total, failed: parsed.errors.length, ...withRowErrors([], false, parsed.errors) };
      return await finish(deps, failed, 'failed', {
        code: 'strict_rejected',
        message: `${parsed.errors.length} row(s) are invalid; strict mode wrote nothing`,
      });
    }
    const rows: (BalanceRow | OrderRow)[] = parsed.rows.filter((r) => r.line > job!.checkpoint);
    const errors = parsed.errors.filter((e) => e.line > job!.checkpoint);
    const size = deps.chunkSize ?? (job.kind === 'balances' ? 500 : 50_000);
    job = await progress(deps, job, owner, { total });
    for (let i = 0; job && i <= rows.length; i += size) {
      const chunk = rows.slice(i, i + size);
      const last = i + size >= rows.length;
      // The chunk covers the lines up to its last record (to the end of the file for the last one).
      const upTo = last
        ? Number.MAX_SAFE_INTEGER
        : 'lastLine' in chunk.at(-1)!
          ? (chunk.at(-1) as OrderRow).lastLine
          : chunk.at(-1)!.line;
      const rowErrors = errors.filter((e) => e.line > job!.checkpoint && e.line <= upTo);
      const current = job;
      const done: ChunkResult = chunk.length
        ? await withTransientRetry(deps, () =>
            current.kind === 'balances'
              ? importBalances(deps, shop, current, chunk as BalanceRow[])
              : importOrders(deps, shop, current, chunk as OrderRow[]),
          )
        : { imported: 0, skipped: 0, failed: [], warnings: [] };
      const endLine = last
        ? Math.max(
            job.checkpoint,
            ...chunk.map((r) => ('lastLine' in r ? r.lastLine : r.line)),
            ...rowErrors.map((e) => e.line),
          )
        : upTo;
      job = await progress(deps, job, owner, {
        imported: job.imported + done.imported,
        skipped: job.skipped + done.skipped,
        failed: job.failed + done.failed.length + rowErrors.length,
        processed: job.processed + chunk.length + rowErrors.length + 0,
        checkpoint: endLine,
        ...withRowErrors(job.errors, job.errorsTruncated, [...rowErrors, ...done.failed]),
        warnings: [...job.warnings, ...done.warnings].slice(0, maxStoredRowErrors),
      });
      if (last) break;
    }
    const completed = job && (await finish(deps, job, 'completed'));
    // The file holds personal data and a completed import never reads it again; a failed one keeps it for a resume.
    if (completed) await deps.files.removeAll(job!.fileKey.slice(0, job!.fileKey.lastIndexOf('/') + 1));
    return completed;
  } catch (e) {
    deps.logger?.error('import run failed', { ...run, error: e });
    const current = await deps.imports.get(run.shopId, run.importId);
    if (current?.leaseOwner === owner)
      await finish(deps, current, 'failed', { code: 'crashed', message: (e as Error).message ?? String(e) });
    throw e;
  }
};

/**
 * What the table adapter gave up on after its own retries but may pass a moment later: a timeout,
 * throttling, a dropped connection. A loaded DynamoDB (Local, above all) can be slower than one
 * request's timeout for a while, and a background job should outlast that rather than fail.
 */
const isTransient = (e: unknown): boolean => {
  const x = e as { $retryable?: boolean; name?: string; code?: unknown };
  return x.$retryable === true || x.name === 'TimeoutError' || typeof x.code === 'string';
};
const chunkAttempts = 4;

/** A chunk again after a transient error: safe, since every row is exactly once and counted by what is stored. */
const withTransientRetry = async <T>(deps: ImportDeps, work: () => Promise<T>): Promise<T> => {
  for (let n = 1; ; n++) {
    try {
      return await work();
    } catch (e) {
      if (n >= chunkAttempts || !isTransient(e)) throw e;
      deps.logger?.warn('import chunk retried after a transient error', { attempt: n, error: e });
      await deps.sleep(1000 * 2 ** (n - 1));
    }
  }
};

/** Takes the job for this run: it must be queued, failed, or running under a lease that lapsed. */
const claim = async (
  deps: ImportDeps,
  run: { shopId: string; importId: string },
  owner: string,
): Promise<ImportJob | undefined> => {
  for (let n = 0; n < 5; n++) {
    const job = await deps.imports.get(run.shopId, run.importId);
    const now = deps.clock.now();
    if (!job || job.status === 'completed') return undefined;
    if (job.status === 'running' && job.leaseOwner !== owner && job.leaseUntil && job.leaseUntil > now.toISOString())
      return undefined;
    const { error: _error, ...rest } = job;
    const write = bumped(rest as ImportJob, {
      status: 'running',
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? defaultLeaseMs)).toISOString(),
      attempts: job.attempts + 1,
      updatedAt: now.toISOString(),
    });
    if (await deps.imports.save(run.shopId, write)) return write.next;
  }
  return undefined;
};

/** Saves counts and checkpoint and extends the lease; undefined when another run has taken the job. */
const progress = async (
  deps: ImportDeps,
  job: ImportJob,
  owner: string,
  changes: Partial<ImportJob>,
): Promise<ImportJob | undefined> => {
  const now = deps.clock.now();
  const write = bumped(job, {
    ...changes,
    leaseOwner: owner,
    leaseUntil: new Date(now.getTime() + (deps.leaseMs ?? defaultLeaseMs)).toISOString(),
    updatedAt: now.toISOString(),
  });
  return (await deps.imports.save(job.shopId, write)) ? write.next : undefined;
};

const finish = async (
  deps: ImportDeps,
  job: ImportJob,
  status: 'completed' | 'failed',
  error?: { code: string; message: string },
): Promise<ImportJob | undefined> => {
  const now = deps.clock.now().toISOString();
  const { leaseOwner: _o, leaseUntil: _u, error: _e, ...rest } = job;
  const write = bumped(rest as ImportJob, {
    status,
    updatedAt: now,
    finishedAt: now,
    ...(status === 'completed' ? { processed: job.total ?? job.processed } : {}),
    ...(error ? { error } : {}),
  });
  return (await deps.imports.save(job.shopId, write)) ? write.next : undefined;
};

/** Opening balances, one transaction per member, a few at a time. */
const importBalances = async (
  deps: ImportDeps,
  shop: Shop,
  job: ImportJob,
  rows: BalanceRow[],
): Promise<ChunkResult> => {
  const result: ChunkResult = { imported: 0, skipped: 0, failed: [], warnings: [] };
  const format = job.format as BalanceFormat;
  await forEachLimited(rows, deps.concurrency ?? 8, async (row) => {
    const hash = emailHash(row.email);
    const outcome = await retryOnConflict(
      deps,
      async () => {
        const cid = (await deps.ledger.cidsByEmailHash(shop.id, hash))[0] ?? cidFor({ email: row.email })!;
        const customer = await deps.ledger.getCustomer(shop.id, cid);
        const now = deps.clock.now().toISOString();
        const { plan, tierNote } = planOpeningBalance(customer, cid, row, {
          format,
          importId: job.importId,
          now,
          entryId: deps.newId(),
          program: shop.program,
        });
        const committed = await deps.ledger.commit(shop.id, plan, shop.program, {
          key: balanceImportKey(format, hash),
          record: { requestHash: job.importId, status: 200, body: { line: row.line, points: row.points } },
        });
        if (committed === 'conflict') return conflict;
        return { committed, tierNote };
      },
      historyPolicy,
    );
    if (outcome.committed === 'duplicate') result.skipped++;
    else {
      result.imported++;
      if (outcome.tierNote) result.warnings.push({ line: row.line, message: outcome.tierNote });
    }
  });
  result.warnings.sort((a, b) => a.line - b.line);
  return result;
};

/**
 * Order history in bulk: orders grouped by customer, each customer's folded in memory oldest
 * first and written in as few transactions as the 100-item limit allows, a few customers at a
 * time. An order stored by anything else (live webhooks, another import) is skipped, never
 * overwritten.
 */
const importOrders = async (deps: ImportDeps, shop: Shop, job: ImportJob, rows: OrderRow[]): Promise<ChunkResult> => {
  const result: ChunkResult = { imported: 0, skipped: 0, failed: [], warnings: [] };
  const byCid = new Map<string, OrderRow[]>();
  // A file without platform customer ids (Shopify's export) joins the customer already known by
  // e-mail: one index query per distinct address, several at a time, not one after another.
  const hashOf = (row: OrderRow) => {
    const who = row.event.order.customer;
    return !who.id && who.email?.includes('@') ? emailHash(who.email) : undefined;
  };
  const cidOfEmail = new Map<string, string | undefined>();
  const hashes = [...new Set(rows.map(hashOf).filter((h): h is string => h !== undefined))];
  await forEachLimited(hashes, deps.concurrency ?? 8, async (hash) => {
    cidOfEmail.set(hash, (await deps.ledger.cidsByEmailHash(shop.id, hash))[0]);
  });
  for (const row of rows) {
    let event = row.event;
    const who = event.order.customer;
    const hash = hashOf(row);
    if (hash) {
      const known = cidOfEmail.get(hash);
      if (known?.startsWith('i.'))
        event = { ...event, order: { ...event.order, customer: { ...who, id: known.slice(2) } } };
    }
    const cid = cidFor(event.order.customer);
    if (!cid) {
      result.failed.push({ line: row.line, message: 'the order has no customer (neither an id nor an e-mail)' });
      continue;
    }
    const list = byCid.get(cid) ?? [];
    list.push({ ...row, event });
    byCid.set(cid, list);
  }
  const cids = [...byCid.keys()];
  const customers = await deps.imports.getCustomers(shop.id, cids);
  // Orders are only ever written together with their customer, so a customer not stored yet has
  // none: only known customers' orders are read (a first import reads no orders at all). Should
  // one exist after all, its write's attribute_not_exists fails the transaction and the customer
  // is re-read and committed alone: a wrong guess costs a retry, never a double.
  const known = cids.filter((cid) => customers.has(cid));
  const stored = await deps.imports.getOrders(shop.id, [
    ...new Set(known.flatMap((cid) => byCid.get(cid)!.map((r) => r.event.order.orderId))),
  ]);
  // Fold every customer from what was read; customers that fit one transaction share
  // transactions with others, the rest (and any whose shared transaction lost a race) commit on their own.
  const single: { cid: string; batch: HistoryBatch }[] = [];
  const alone: string[] = [];
  for (const cid of cids) {
    const list = byCid
      .get(cid)!
      .sort((a, b) => a.event.order.createdAt.localeCompare(b.event.order.createdAt) || a.line - b.line);
    const batches = foldCustomer(deps, shop, job, cid, list, customers.get(cid), stored);
    if (batches.length === 1) single.push({ cid, batch: batches[0]! });
    else if (batches.length > 1) alone.push(cid);
    else {
      const earlier = writtenEarlier(job, cid, list, stored);
      result.imported += earlier;
      result.skipped += list.length - earlier;
    }
  }
  const commitAlone = async (cid: string, reread: boolean) => {
    const list = byCid.get(cid)!;
    const done = await commitCustomerHistory(deps, shop, job, cid, list, customers.get(cid), stored, reread);
    result.imported += done.imported;
    result.skipped += done.skipped;
  };
  await forEachLimited(packBatches(single), deps.concurrency ?? 8, async (group) => {
    if ((await deps.imports.commitHistory(shop.id, group, shop.program)) === 'committed') {
      for (const { cid, batch } of group) {
        const imported = batch.events + writtenEarlier(job, cid, byCid.get(cid)!, stored);
        result.imported += imported;
        result.skipped += byCid.get(cid)!.length - imported;
      }
    } else for (const { cid } of group) await commitAlone(cid, true);
  });
  await forEachLimited(alone, deps.concurrency ?? 8, (cid) => commitAlone(cid, false));
  return result;
};

/**
 * Orders of these rows that this import already wrote, beyond the checkpoint: by a run that died
 * before saving its counts, or by a transaction whose answer was lost (a timed-out attempt that
 * committed, so its retry met its own writes). Their counts were never saved, so they count as
 * imported now; counting them as skipped would report a fresh import as partly done before.
 */
const writtenEarlier = (job: ImportJob, cid: string, rows: OrderRow[], orders: Map<string, OrderRecord>): number =>
  new Set(
    rows
      .map((r) => orders.get(r.event.order.orderId))
      .filter((o) => o?.importId === job.importId && o.cid === cid)
      .map((o) => o!.orderId),
  ).size;

/** One customer's history folded from what was read: its transactions, none if nothing changes. */
const foldCustomer = (
  deps: ImportDeps,
  shop: Shop,
  job: ImportJob,
  cid: string,
  rows: OrderRow[],
  read: CustomerRecord | undefined,
  orders: Map<string, OrderRecord>,
): HistoryBatch[] => {
  const mine = new Map([...orders].filter(([, o]) => o.importId === job.importId && o.cid === cid));
  const events = rows
    .filter((r) => {
      const o = orders.get(r.event.order.orderId);
      return !o || o.importId === job.importId;
    })
    .map((r) => r.event);
  const { batches } = historyBatches(read, events, {
    cid,
    program: shop.program,
    shopCurrency: shop.currency,
    timeZone: shop.timezone,
    now: deps.clock.now().toISOString(),
    awardPoints: job.awardPoints,
    newId: deps.newId,
    importId: job.importId,
    stored: mine,
  });
  // What the orders tell about their buyer (a referral code, hashed addresses and cards for the
  // self-referral checks), as live orders would have recorded it.
  return batches.map((b) => {
    let plan: Plan = { customer: { next: b.customer, expectedVersion: b.expectedVersion } };
    for (const e of events) plan = withBuyerFacts(deps, plan, e.order, shop);
    return { ...b, customer: plan.customer!.next };
  });
};

const commitCustomerHistory = async (
  deps: ImportDeps,
  shop: Shop,
  job: ImportJob,
  cid: string,
  rows: OrderRow[],
  customer: CustomerRecord | undefined,
  stored: Map<string, OrderRecord>,
  reread: boolean,
): Promise<{ imported: number; skipped: number }> => {
  let imported = 0;
  let read = customer;
  let orders = stored;
  await retryOnConflict(
    deps,
    async (attempt) => {
      // What an earlier attempt committed is in the re-read below, counted by writtenEarlier.
      imported = 0;
      if (attempt > 0 || reread) {
        // Something changed under us (a live webhook, another run): read this customer's part afresh.
        [read, orders] = await Promise.all([
          deps.imports.getCustomers(shop.id, [cid]).then((m) => m.get(cid)),
          deps.imports.getOrders(shop.id, [...new Set(rows.map((r) => r.event.order.orderId))]),
        ]);
      }
      for (const batch of foldCustomer(deps, shop, job, cid, rows, read, orders)) {
        if ((await deps.imports.commitHistory(shop.id, [{ cid, batch }], shop.program)) === 'conflict') return conflict;
        imported += batch.events;
      }
      return true;
    },
    historyPolicy,
  );
  imported += writtenEarlier(job, cid, rows, orders);
  return { imported, skipped: rows.length - imported };
};
