import type { OutboxItem, OutboxStatus, Suppression } from '../../domain/emails/outbox';

/** The e-mail outbox and suppression list (DynamoDB: shared/adapters/outbox-store.ts). */
export interface Claimed {
  item: OutboxItem;
  /** It may have been sent already: an earlier claim ran out, or its SES call ended without an answer. */
  inDoubt: boolean;
}

export interface OutboxStore {
  get(shopId: string, outboxId: string): Promise<OutboxItem | undefined>;
  /** Outbox ids of one shop due before `now` (pending, or claimed by a sender that vanished), oldest first. */
  due(shopId: string, now: string, limit: number): Promise<string[]>;
  /**
   * Takes an item for sending: only one sender at a time holds it, until `leaseUntil`. An item
   * whose claim ran out is taken over only `inDoubtWaitMs` later (in AWS, time for SES's own
   * send event to settle it first).
   */
  claim(
    shopId: string,
    outboxId: string,
    input: { now: string; leaseUntil: string; inDoubtWaitMs: number },
  ): Promise<Claimed | undefined>;
  /** Settles a claimed item; false if the claim was lost (someone else took it over). */
  settle(item: OutboxItem, outcome: Settlement): Promise<boolean>;
  /** What SES later reported for a sent message (delivered, bounced, complained), for the outbox view. */
  recordDelivery(
    shopId: string,
    outboxId: string,
    delivery: { status: 'delivered' | 'bounced' | 'complained'; at: string },
  ): Promise<void>;
  /** SES said it accepted a message for this item (its send event): settle it as sent, whoever holds it. */
  confirmSent(shopId: string, outboxId: string, messageId: string, at: string): Promise<void>;
  list(
    shopId: string,
    page: { status?: OutboxStatus; limit: number; cursor?: string },
  ): Promise<{ items: OutboxItem[]; nextCursor?: string }>;
  /** A customer's settled e-mails (sent, skipped, failed), newest first: the console's customer profile. */
  listForCustomer(shopId: string, cid: string, limit: number): Promise<OutboxItem[]>;
  /** An operator's second chance for a `failed` e-mail: pending again, due now, with a fresh 72 hours. */
  requeue(shopId: string, outboxId: string, now: string): Promise<OutboxItem | undefined>;

  /** Adds to a day's counters (`<type>:<event>`, `unsubscribe:<scope>`): ADDs, so counters never conflict. */
  count(shopId: string, at: string, counter: string | Record<string, number>): Promise<void>;
  /** Daily counters from `from` to `to` (UTC days, inclusive). */
  dayCounts(shopId: string, from: string, to: string): Promise<Record<string, number>[]>;

  getSuppression(shopId: string, emailHash: string): Promise<Suppression | undefined>;
  /** Adds or widens a suppression (a marketing-only one becomes `all` when asked; never narrowed). */
  suppress(shopId: string, emailHash: string, s: Suppression & { hint: string }): Promise<void>;
  unsuppress(shopId: string, emailHash: string): Promise<boolean>;
  listSuppressions(
    shopId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: (Suppression & { emailHash: string; hint: string })[]; nextCursor?: string }>;
}

export type Settlement =
  | { status: 'sent'; at: string; messageId?: string }
  /** `doubt`: the last attempt may have reached SES, so the next claim checks before sending. */
  | { status: 'retry'; dueAt: string; error: string; doubt: boolean }
  | { status: 'skipped' | 'failed'; at: string; reason: string };
