/**
 * Optimistic concurrency, the one way: a record carries a `version`, a write moves it on by one
 * and is guarded by the version it was planned from, so a writer that lost a race fails and
 * re-plans instead of overwriting.
 */

export interface Versioned {
  version: number;
}

/** A write that lands only if the stored record is still at `expectedVersion` (0: not stored yet). */
export interface GuardedWrite<T> {
  next: T;
  expectedVersion: number;
}

/** Writes `next` over `read` (absent counts as version 0), one version on from it. */
export const replacing = <T extends object>(read: Versioned | undefined, next: T): GuardedWrite<T & Versioned> => {
  const expectedVersion = read?.version ?? 0;
  return { next: { ...next, version: expectedVersion + 1 }, expectedVersion };
};

/** `record` with `changes` applied, one version on, guarded by the version it had. */
export const bumped = <T extends Versioned>(record: T, changes: Partial<Omit<T, 'version'>> = {}): GuardedWrite<T> =>
  replacing(record, { ...record, ...changes });
