/** Who did something, as the audit log and the ledger's `by` name them. */
export interface Actor {
  kind: 'operator' | 'api_key' | 'user';
  /** `operator`, `shop:<shopId>` (the API key) or `user:<email>`. */
  label: string;
  userId?: string;
  email?: string;
  role?: string;
}

export interface AuditEntry {
  shopId: string;
  id: string;
  at: string;
  actor: Actor;
  /** `program.updated`, `points.adjusted`, `referral.approved`, `user.invited`, `api_key.rotated`, … */
  action: string;
  /** What it was done to: a customer ref, a referral id, a user id, an endpoint id. */
  target?: string;
  /** One line in plain words. */
  summary: string;
  /** For program edits: each changed path with its value before and after. */
  diff?: { path: string; from: unknown; to: unknown }[];
  details?: Record<string, unknown>;
}

/** The shop's audit log (DynamoDB: shared/adapters/audit-store.ts), newest first. */
export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  list(
    shopId: string,
    page: { limit: number; cursor?: string; action?: string },
  ): Promise<{ items: AuditEntry[]; nextCursor?: string }>;
}
