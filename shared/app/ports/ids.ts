/** Time-ordered unique ids (ULIDs) for ledger entries, events and jobs: shared/adapters/ids.ts newId. */
export type NewId = () => string;
