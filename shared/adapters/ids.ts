import { monotonicFactory } from 'ulidx';
import type { NewId } from '../app/ports/ids';

/** Time-ordered ids for ledger entries and events; monotonic within a process. */
export const newId: NewId = monotonicFactory();
