import { monotonicFactory } from 'ulidx';
import type { NewId } from '../app/ports/ids';

/** Time-ordered ids for ledger entries and events; monotonic within a process. */
export const newId: NewId = monotonicFactory();

/** Kept here for callers that import it with newId; it is pure and lives in the domain. */
export { humanCode } from '../domain/human-code';
