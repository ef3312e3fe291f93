import type { CustomerRecord } from '../ledger/customer';
import type { Program } from '../../schemas/program';
import { emailCategory, type EmailCategory, type EmailData, type EmailType } from './types';

/**
 * An e-mail waiting to be sent, or the record that it was. Written in the same transaction as
 * the state change that causes it, so a committed change always has its e-mail and a rolled
 * back one never does. The address is not stored: it is read from the customer at send time,
 * so a redaction or a changed address in between is honoured.
 */
export interface OutboxItem {
  shopId: string;
  outboxId: string;
  cid: string;
  type: EmailType;
  category: EmailCategory;
  data: EmailData;
  createdAt: string;
  /** When it may next be tried (first try: at once). */
  dueAt: string;
  status: OutboxStatus;
  attempts: number;
  /** While `sending`: until when the claim holds; past it, the claim may be taken over. */
  leaseUntil?: string;
  /** Who holds the claim; only they may settle it. */
  claim?: string;
  sentAt?: string;
  messageId?: string;
  /** Why it was not sent (`skipped`) or gave up (`failed`), or the last error before a retry. */
  reason?: string;
  lastError?: string;
  /** The last attempt may have reached SES (no answer): the next one checks before sending. */
  doubt?: boolean;
  /** When an operator put a failed e-mail back in the queue; the 72 hours count from then. */
  requeuedAt?: string;
  /** An e-mail queued to go later (a survey): when it first fell due; the 72 hours count from then. */
  delayedUntil?: string;
  /** What SES reported after sending (its delivery, bounce and complaint events). */
  delivery?: { status: 'delivered' | 'bounced' | 'complained'; at: string };
}

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

/**
 * Retries back off 30 s, 1 min, 2 min … up to an hour, with jitter so a recovering SES is not hit
 * all at once; `random` is a number in [0, 1) from the caller (the sender's injected random).
 */
export const retryDelayMs = (attempts: number, random: number): number => {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random));
};

/**
 * How long an e-mail keeps being retried before it is given up (and dead-lettered for an
 * operator). Three days rides out a long SES outage or a paused account.
 */
export const giveUpAfterMs = 72 * 3_600_000;

export type SkipReason =
  | 'shop_gone'
  | 'emails_disabled'
  | 'type_disabled'
  | 'no_address'
  | 'redacted'
  | 'suppressed'
  | 'no_consent'
  | 'ordered_since'
  /** A survey about an order that was cancelled or refunded in full before the survey went. */
  | 'order_refunded';

export interface Suppression {
  scope: 'all' | 'marketing';
  reason: 'unsubscribe' | 'bounce' | 'complaint' | 'manual';
  at: string;
}

/**
 * Whether a type is switched on for the shop: the survey by `surveys`, the other marketing
 * e-mails by `winback`, transactional ones by their own switch.
 */
export const typeEnabled = (program: Program, type: EmailType): boolean => {
  if (!program.emails.enabled) return false;
  if (type === 'survey_request') return program.surveys.enabled;
  if (emailCategory(type) === 'marketing') return program.winback.enabled;
  return program.emails.transactional[type as keyof Program['emails']['transactional']];
};

/** Marketing consent: obeyed where the platform reports it; otherwise as the shop decided. */
export const mayMarket = (c: Pick<CustomerRecord, 'acceptsMarketing'>, program: Program): boolean =>
  c.acceptsMarketing ?? program.emails.marketingWithoutReportedConsent;

/**
 * The last look before an e-mail goes out. Everything here can change between queueing and
 * sending (an unsubscribe, a bounce, a redaction, an order that ends a win-back series), so it
 * is decided at send time, on fresh reads.
 */
export const sendDecision = (
  item: Pick<OutboxItem, 'type' | 'category' | 'createdAt'>,
  ctx: { program: Program | undefined; customer: CustomerRecord | undefined; suppression: Suppression | undefined },
): { send: true; to: string } | { send: false; reason: SkipReason } => {
  const { program, customer, suppression } = ctx;
  if (!program) return { send: false, reason: 'shop_gone' };
  if (!program.emails.enabled) return { send: false, reason: 'emails_disabled' };
  if (!typeEnabled(program, item.type)) return { send: false, reason: 'type_disabled' };
  if (customer?.redactedAt) return { send: false, reason: 'redacted' };
  if (!customer?.email) return { send: false, reason: 'no_address' };
  if (suppression && (suppression.scope === 'all' || item.category === 'marketing'))
    return { send: false, reason: 'suppressed' };
  if (item.category === 'marketing') {
    if (!mayMarket(customer, program)) return { send: false, reason: 'no_consent' };
    // A new order ends a win-back series; a survey about an earlier order still stands.
    if (item.type !== 'survey_request' && customer.lastOrderAt && customer.lastOrderAt > item.createdAt)
      return { send: false, reason: 'ordered_since' };
  }
  return { send: true, to: customer.email };
};

/**
 * What a failed SES call tells us about the message:
 * - `permanent`: SES answered and will not take it (rejected, bad request) — retrying is pointless;
 * - `not_sent`: SES answered "not now" (throttling, paused account) or was never reached
 *   (connection refused, DNS) — safe to send again after a backoff;
 * - `maybe_sent`: the request may have reached SES and been accepted before the answer was lost
 *   (timeout, connection reset, a 5xx, an unreadable answer) — SendEmail has no idempotency
 *   key, so before sending again we must first find out whether SES has it.
 */
export type SendErrorKind = 'permanent' | 'not_sent' | 'maybe_sent';

const permanentNames = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'BadRequestException',
  'NotFoundException',
]);
const throttleNames = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'SendingPausedException',
  'ThrottlingException',
  'AccountSuspendedException',
]);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const sendErrorKind = (e: unknown): SendErrorKind => {
  const err = (e ?? {}) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = err.name ?? '';
  const status = err.$metadata?.httpStatusCode;
  if (permanentNames.has(name)) return 'permanent';
  if (throttleNames.has(name)) return 'not_sent';
  if (status === 429) return 'not_sent';
  if (status !== undefined && status >= 400 && status < 500) return 'permanent';
  // A 5xx, or a 2xx whose body could not be read (the SDK reports the status it saw): SES may
  // have taken the message.
  if (status !== undefined) return 'maybe_sent';
  if (err.code && unreachableCodes.has(err.code)) return 'not_sent';
  return 'maybe_sent';
};
