import type { CustomerRecord } from '../../domain/ledger/customer';
import type { OrderRecord } from '../../domain/ledger/order-record';
import type { HistoryBatch } from '../../domain/imports/history';
import type { ImportJob } from '../../domain/imports/job';
import type { GuardedWrite } from '../../domain/versioned';
import type { Program } from '../../schemas/program';

/** Import jobs and the bulk reads and writes of a history import (shared/adapters/import-store.ts). */
export interface ImportStore {
  /** Creates the job; false if one with its id exists. */
  create(job: ImportJob): Promise<boolean>;
  get(shopId: string, importId: string): Promise<ImportJob | undefined>;
  /** The shop's imports, newest first. */
  list(shopId: string, limit: number): Promise<ImportJob[]>;
  /** Writes the job if it is still at `expectedVersion`; false when someone else changed it. */
  save(shopId: string, write: GuardedWrite<ImportJob>): Promise<boolean>;
  /** Stored orders among `orderIds` (strongly consistent). */
  getOrders(shopId: string, orderIds: readonly string[]): Promise<Map<string, OrderRecord>>;
  getCustomers(shopId: string, cids: readonly string[]): Promise<Map<string, CustomerRecord>>;
  /**
   * One transaction (≤ 100 items in all) of one or more customers' history batches; nothing of it
   * is written (`conflict`) if anything it was planned from changed since it was read.
   */
  commitHistory(
    shopId: string,
    batches: readonly { cid: string; batch: HistoryBatch }[],
    program: Program,
  ): Promise<'committed' | 'conflict'>;
}

/** Where uploaded import files are kept: the export sink's storage (local files or the export bucket). */
export interface ImportFiles {
  put(key: string, body: string): Promise<void>;
  get(key: string): Promise<string | undefined>;
  /** Removes every file under `prefix` (which ends with `/`). */
  removeAll(prefix: string): Promise<void>;
  /** A URL a client PUTs a file to, valid for `expiresInSeconds`. */
  uploadUrl(key: string, expiresInSeconds: number): Promise<string>;
}

/** Starts a job's run without waiting: an async invocation of the import worker in AWS, a background run locally. */
export interface ImportLauncher {
  start(run: { shopId: string; importId: string }): Promise<void>;
}
