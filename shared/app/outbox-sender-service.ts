import type { Random } from './ports/random';
import type { Sleep } from './ports/sleep';
import type { Clock } from './ports/clock';
import type { LedgerStore } from './ports/ledger';
import type { Logger } from './ports/logger';
import type { OutboxStore, Settlement } from './ports/outbox';
import type { ShopStore } from './ports/shops';
import type { CustomerRecord } from '../domain/ledger/customer';
import type { Shop } from '../domain/shop';
import { signUnsubscribeToken } from '../domain/emails/unsubscribe-token';
import { loyaltyPageToken } from '../domain/storefront/page-token';
import { emailHash } from '../domain/customers/identity';
import {
  giveUpAfterMs,
  retryDelayMs,
  sendDecision,
  sendErrorKind,
  type OutboxItem,
  type SkipReason,
} from '../domain/emails/outbox';
import type { EmailData } from '../domain/emails/types';
import { signSurveyToken } from '../domain/surveys/token';
import { surveyStillAsks } from '../domain/surveys/schedule';
import { renderEmail, resolveLocale } from '../domain/emails/templates';
import type { MailMessage, Mailer } from './ports/mailer';
import { fromAddress, renderContext } from './email-service';
import { forEachLimited } from '../domain/for-each-limited';

/**
 * Spaces sends out so no more than `perSecond` go per key (a shop, or the whole account)
 * from this process. SES enforces the account rate; this keeps us under it rather than
 * learning it from throttling errors.
 */
export class Pacer {
  private readonly next = new Map<string, number>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /** Milliseconds to wait before the next send for all of `limits`; reserves that slot. */
  reserve(limits: readonly { key: string; perSecond: number }[]): number {
    const now = this.nowMs();
    const at = Math.max(now, ...limits.map((l) => this.next.get(l.key) ?? now));
    for (const l of limits) this.next.set(l.key, at + 1000 / l.perSecond);
    return at - now;
  }
}

export interface SenderDeps {
  outbox: OutboxStore;
  shops: Pick<ShopStore, 'get'>;
  ledger: LedgerStore;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  pacer: Pacer;
  /** Waits for the pacer's slot. */
  sleep: Sleep;
  /** The jitter of a failed send's next attempt (domain/emails/outbox.ts retryDelayMs). */
  random: Random;
  /** Signs the unsubscribe links; `baseUrl` is where `/unsubscribe/{token}` is served. */
  unsubscribe: { secret: Buffer; baseUrl: string };
  /**
   * Signs the customer's loyalty page links (domain/storefront/page-token.ts); `baseUrl` is where
   * `/p/{shopId}?token=…` is served.
   */
  loyaltyPage: { secret: Buffer; baseUrl: string };
  /**
   * Signs the single-use survey links (domain/surveys/token.ts); `baseUrl` is where
   * `/survey/{shopId}?token=…` is served. Without it a survey e-mail is retried, never sent linkless.
   */
  surveys?: { secret: Buffer; baseUrl: string };
  /** Where e-mails that will never be sent go for an operator (SQS in AWS). */
  deadLetters?: { send(item: OutboxItem, reason: string): Promise<void> };
  /**
   * Whether SES already took a message for this item, for a claim that ran out mid-send. In AWS
   * SES's send events settle such items themselves (ses-events); locally SES local's store is asked.
   */
  confirmations?: { sentMessageId(item: OutboxItem): Promise<string | undefined> };
  limits: {
    /** How long a claim holds; longer than one send can take (the SES client times out first). */
    leaseMs: number;
    /** After a claim runs out, how long to wait for SES's send event before sending again. */
    inDoubtWaitMs: number;
    /** The SES account's sending rate. */
    accountPerSecond: number;
  };
}

export type DeliveryOutcome =
  'sent' | 'skipped' | 'retry' | 'failed' | 'confirmed' | 'not_claimed' | 'lost_claim' | 'error';

/** The header that ties a message in SES (and in SES local's store) back to its outbox item. */
export const outboxHeader = 'X-Boomerang-Outbox-Id';

const iso = (ms: number) => new Date(ms).toISOString();

/** Addresses never go into logs, the outbox item or the dead-letter queue, even inside SES's error text. */
const withoutAddresses = (text: string) => text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>');
const describe = (e: unknown) =>
  withoutAddresses(`${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`).slice(0, 500);

/**
 * The other party's first name (the friend who ordered, the referrer who invited), looked up
 * now rather than stored with the e-mail: someone erased in between is not named.
 */
const withNames = async (deps: SenderDeps, shopId: string, data: OutboxItem['data']): Promise<OutboxItem['data']> => {
  const { friendCid, referrerCid, ...rest } = data as Record<string, unknown>;
  const nameOf = async (cid: unknown) => {
    if (typeof cid !== 'string') return undefined;
    const c = await deps.ledger.getCustomer(shopId, cid);
    return c && !c.redactedAt ? c.firstName : undefined;
  };
  const [friendFirstName, referrerFirstName] = await Promise.all([nameOf(friendCid), nameOf(referrerCid)]);
  return {
    ...rest,
    ...(friendFirstName ? { friendFirstName } : {}),
    ...(referrerFirstName ? { referrerFirstName } : {}),
  } as OutboxItem['data'];
};

/**
 * Figures for the shop's e-mail stats, gathered over a batch and written once per shop and day
 * at its end (one UpdateItem of ADDs instead of one per e-mail). Best effort: a sender that
 * dies mid-batch loses that batch's counts, never an e-mail.
 */
export class StatsBuffer {
  private readonly counts = new Map<string, Record<string, number>>();

  add(shopId: string, at: string, counter: string): void {
    const key = `${shopId}|${at.slice(0, 10)}`;
    const day = this.counts.get(key) ?? {};
    day[counter] = (day[counter] ?? 0) + 1;
    this.counts.set(key, day);
  }

  async flush(deps: Pick<SenderDeps, 'outbox' | 'logger'>): Promise<void> {
    const entries = [...this.counts];
    this.counts.clear();
    for (const [key, counters] of entries) {
      const [shopId, day] = key.split('|') as [string, string];
      await deps.outbox
        .count(shopId, day, counters)
        .catch((e: unknown) => deps.logger.warn('e-mail stats not counted', { shopId, day, error: describe(e) }));
    }
  }
}

/** Thrown by the SES call only, so the caller can tell "SES failed" from "we failed before sending". */
class SendFailed extends Error {
  constructor(readonly original: unknown) {
    super('send failed');
  }
}

type Claimed = NonNullable<Awaited<ReturnType<OutboxStore['claim']>>>;

/** What becomes of a claimed item: a settlement as it stands, given up, or tried again later. */
type Next = { settle: Settlement; outcome: DeliveryOutcome } | { fail: string } | { retry: string; doubt: boolean };

/**
 * Waits for a sending slot for the account and the shop, then claims the item. Paced before the
 * claim, not after: time spent waiting for a slot must not eat into the lease, or a slow queue
 * could let another sender take over an item still being sent.
 */
const paceAndClaim = async (
  deps: SenderDeps,
  shopId: string,
  outboxId: string,
): Promise<{ shop: Shop | undefined; claimed: Claimed | undefined }> => {
  const shop = await deps.shops.get(shopId);
  await deps.sleep(
    deps.pacer.reserve([
      { key: 'account', perSecond: deps.limits.accountPerSecond },
      ...(shop ? [{ key: `shop:${shopId}`, perSecond: shop.program.emails.maxPerSecond }] : []),
    ]),
  );
  const nowMs = deps.clock.now().getTime();
  const claimed = await deps.outbox.claim(shopId, outboxId, {
    now: iso(nowMs),
    leaseUntil: iso(nowMs + deps.limits.leaseMs),
    inDoubtWaitMs: deps.limits.inDoubtWaitMs,
  });
  return { shop, claimed };
};

/**
 * A claim that ran out mid-send may have reached SES: if SES has the message, the item is
 * settled as sent instead of being sent again.
 */
const confirmEarlierSend = async (deps: SenderDeps, claimed: Claimed): Promise<Next | undefined> => {
  if (!claimed.inDoubt || !deps.confirmations) return undefined;
  const { item } = claimed;
  const messageId = await deps.confirmations.sentMessageId(item);
  if (!messageId) return undefined;
  deps.logger.warn('outbox item had been sent by an attempt that did not record it', {
    shopId: item.shopId,
    outboxId: item.outboxId,
    messageId,
  });
  return { settle: { status: 'sent', at: deps.clock.now().toISOString(), messageId }, outcome: 'confirmed' };
};

/** Whether the item may still go, and to whom: its age, the shop, consent and suppressions decide. */
const decideSend = async (
  deps: SenderDeps,
  shop: Shop | undefined,
  item: OutboxItem,
): Promise<Next | { to: string; shop: Shop; customer: CustomerRecord }> => {
  const queuedFor = Math.max(Date.parse(item.requeuedAt ?? item.createdAt), Date.parse(item.delayedUntil ?? '') || 0);
  if (deps.clock.now().getTime() - queuedFor > giveUpAfterMs) return { fail: 'expired: not sent within 72 hours' };
  const customer = shop ? await deps.ledger.getCustomer(item.shopId, item.cid) : undefined;
  const suppression = customer?.email
    ? await deps.outbox.getSuppression(item.shopId, emailHash(customer.email))
    : undefined;
  const decision = sendDecision(item, {
    program: shop?.status === 'active' ? shop.program : undefined,
    customer,
    suppression,
  });
  const reason = decision.send ? await surveyGone(deps, item) : decision.reason;
  if (reason) return { settle: { status: 'skipped', at: deps.clock.now().toISOString(), reason }, outcome: 'skipped' };
  return { to: (decision as { to: string }).to, shop: shop!, customer: customer! };
};

/** A survey about an order cancelled or refunded in full since it was queued asks about nothing. */
const surveyGone = async (deps: SenderDeps, item: OutboxItem): Promise<SkipReason | undefined> => {
  if (item.type !== 'survey_request') return undefined;
  const order = await deps.ledger.getOrder(item.shopId, (item.data as EmailData<'survey_request'>).orderId);
  return order && surveyStillAsks(order) ? undefined : 'order_refunded';
};

/** The customer's own loyalty page, signed for 30 days from now (the e-mail's "see your points" button). */
const loyaltyPageUrl = (deps: SenderDeps, shopId: string, cid: string): string => {
  const token = loyaltyPageToken(deps.loyaltyPage.secret, { shopId, cid }, deps.clock.now());
  return `${deps.loyaltyPage.baseUrl.replace(/\/$/, '')}/p/${encodeURIComponent(shopId)}?token=${token}`;
};

/** The survey e-mail's button: its single-use link, signed now for the shop's `linkValidDays`. */
const withSurveyLink = (deps: SenderDeps, shop: Shop, item: OutboxItem, locale: string): OutboxItem['data'] => {
  if (item.type !== 'survey_request') return item.data;
  if (!deps.surveys) throw new Error('No survey link key: survey e-mails cannot be sent');
  const data = item.data as EmailData<'survey_request'>;
  const token = signSurveyToken(
    deps.surveys.secret,
    { shopId: item.shopId, cid: item.cid, surveyId: data.surveyId, orderId: data.orderId, locale },
    deps.clock.now(),
    shop.program.surveys.linkValidDays,
  );
  const base = deps.surveys.baseUrl.replace(/\/$/, '');
  return { ...data, surveyUrl: `${base}/survey/${encodeURIComponent(item.shopId)}?token=${token}` };
};

/**
 * The message as SES gets it: rendered in the customer's language, with its unsubscribe link, the
 * customer's loyalty page link and our headers.
 */
const renderMessage = async (
  deps: SenderDeps,
  item: OutboxItem,
  to: { to: string; shop: Shop; customer: CustomerRecord },
): Promise<MailMessage> => {
  const { shop, customer } = to;
  const { shopId, outboxId } = item;
  const locale = resolveLocale(customer.locale, shop.locale);
  const token = signUnsubscribeToken(deps.unsubscribe.secret, {
    shopId,
    emailHash: emailHash(to.to),
    scope: item.category === 'marketing' ? 'marketing' : 'all',
    locale,
  });
  const unsubscribeUrl = `${deps.unsubscribe.baseUrl.replace(/\/$/, '')}/unsubscribe/${token}`;
  const rendered = renderEmail(
    item.type,
    locale,
    (await withNames(deps, shopId, withSurveyLink(deps, shop, item, locale))) as never,
    renderContext(shop, customer.firstName, unsubscribeUrl, loyaltyPageUrl(deps, shopId, item.cid)),
  );
  return {
    from: fromAddress(shop),
    to: [to.to],
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: [
      { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      { name: outboxHeader, value: `${shopId}/${outboxId}` },
    ],
    tags: { boomerang_shop: shopId, boomerang_outbox: outboxId, boomerang_type: item.type },
  };
};

/** Confirm, decide, render and send; any step may end it. Only the SES call throws SendFailed. */
const attempt = async (deps: SenderDeps, shop: Shop | undefined, claimed: Claimed): Promise<Next> => {
  const confirmed = await confirmEarlierSend(deps, claimed);
  if (confirmed) return confirmed;
  const decided = await decideSend(deps, shop, claimed.item);
  if (!('to' in decided)) return decided;
  const message = await renderMessage(deps, claimed.item, decided);
  const { messageId } = await deps.mailer.send(message).catch((e: unknown) => {
    throw new SendFailed(e);
  });
  const at = deps.clock.now().toISOString();
  return { settle: { status: 'sent', at, ...(messageId ? { messageId } : {}) }, outcome: 'sent' };
};

/**
 * What a thrown attempt means. SES refusing for good gives up; SES failing otherwise is retried,
 * in doubt if the message may have gone. Our side failing before anything went to SES (a read
 * throttled, a template that cannot render this data) is retried with backoff until the item
 * expires, keeping any doubt an earlier attempt left.
 */
const afterError = (e: unknown, claimed: Claimed): Next => {
  if (!(e instanceof SendFailed)) return { retry: describe(e), doubt: claimed.inDoubt };
  const kind = sendErrorKind(e.original);
  return kind === 'permanent'
    ? { fail: describe(e.original) }
    : { retry: describe(e.original), doubt: kind === 'maybe_sent' || claimed.inDoubt };
};

/** Records the outcome under the claim: settled, given up (and dead-lettered) or rescheduled with backoff. */
const settleNext = async (deps: SenderDeps, item: OutboxItem, next: Next, stats?: StatsBuffer) => {
  const { shopId, outboxId } = item;
  const now = () => deps.clock.now().toISOString();
  const settle = async (outcome: Settlement, result: DeliveryOutcome): Promise<DeliveryOutcome> => {
    if (!(await deps.outbox.settle(item, outcome))) return 'lost_claim';
    if (outcome.status !== 'retry') stats?.add(shopId, now(), `${item.type}:${outcome.status}`);
    return result;
  };
  if ('fail' in next) {
    const reason = next.fail;
    deps.logger.error('e-mail given up', { shopId, outboxId, type: item.type, attempts: item.attempts, reason });
    const outcome = await settle({ status: 'failed', at: now(), reason }, 'failed');
    // The item is settled `failed` (and listed so) whatever happens to the dead letter.
    if (outcome === 'failed') {
      await deps.deadLetters?.send(item, reason.split(':')[0]!).catch((e: unknown) =>
        deps.logger.error('dead letter not recorded; the e-mail is listed as failed in the outbox', {
          shopId,
          outboxId,
          error: describe(e),
        }),
      );
    }
    return outcome;
  }
  if ('retry' in next) {
    const { retry: error, doubt } = next;
    const at = deps.clock.now().getTime();
    // A send that may have gone through is looked up before it is tried again, after SES has had time to report it.
    const delay = Math.max(retryDelayMs(item.attempts, deps.random()), doubt ? deps.limits.inDoubtWaitMs : 0);
    deps.logger.warn('e-mail not sent; will retry', {
      shopId,
      outboxId,
      type: item.type,
      attempts: item.attempts,
      error,
      doubt,
    });
    return settle({ status: 'retry', dueAt: iso(at + delay), error, doubt }, 'retry');
  }
  return settle(next.settle, next.outcome);
};

/**
 * Sends one outbox item, at most once: it is claimed first (a conditional write only one
 * sender wins), sent, then settled under that claim. Whatever goes wrong before the send is
 * settled as a retry (or failed and dead-lettered), so no item stays claimed by a sender that
 * is still running. A sender that dies after SES took the message, or cannot record that it
 * did, leaves a claim that runs out; whoever takes it over first asks whether SES has it (send
 * event / SES local's store) and settles it as sent rather than sending again. The same check
 * runs before resending a message whose SES call ended without an answer (a timeout).
 */
export const deliver = async (
  deps: SenderDeps,
  shopId: string,
  outboxId: string,
  stats?: StatsBuffer,
): Promise<DeliveryOutcome> => {
  const { shop, claimed } = await paceAndClaim(deps, shopId, outboxId);
  if (!claimed) return 'not_claimed';
  // Decide inside the try; settle outside it. A settle that throws (the table failing) must not
  // be mistaken for "nothing was sent": it leaves the claim to run out, and the next claim
  // checks with SES first.
  let next: Next;
  try {
    next = await attempt(deps, shop, claimed);
  } catch (e) {
    next = afterError(e, claimed);
  }
  return settleNext(deps, claimed.item, next, stats);
};

export type DrainSummary = Record<DeliveryOutcome, number>;

const emptySummary = (): DrainSummary => ({
  sent: 0,
  skipped: 0,
  retry: 0,
  failed: 0,
  confirmed: 0,
  not_claimed: 0,
  lost_claim: 0,
  error: 0,
});

export interface DrainOptions {
  /** Stop claiming new items after this (epoch ms): a claim is never taken that cannot finish. */
  deadlineMs: number;
  /** Items per queue read. */
  batchSize?: number;
  /** Sends in flight at once (the pacer still holds each shop and the account to their rates). */
  concurrency?: number;
}

/** Sends every due item of the given outbox ids (e.g. a stream batch), settling each. */
export const deliverAll = async (
  deps: SenderDeps,
  refs: readonly { shopId: string; outboxId: string }[],
  opts: DrainOptions,
): Promise<DrainSummary> => {
  const summary = emptySummary();
  const stats = new StatsBuffer();
  await forEachLimited(refs, opts.concurrency ?? 4, async (ref) => {
    if (deps.clock.now().getTime() >= opts.deadlineMs) return;
    try {
      summary[await deliver(deps, ref.shopId, ref.outboxId, stats)]++;
    } catch (e) {
      // Only claiming or settling can throw here (the table itself failed). The item is then
      // pending or claimed and comes round again; the other items go on.
      summary.error++;
      deps.logger.error('outbox delivery failed', { shopId: ref.shopId, outboxId: ref.outboxId, error: describe(e) });
    }
  });
  await stats.flush(deps);
  return summary;
};

/** The sweep: every shop's due items (new, retries whose backoff has passed, abandoned claims). */
export const drainOutbox = async (
  deps: SenderDeps,
  shopIds: AsyncIterable<string> | readonly string[],
  opts: DrainOptions,
): Promise<DrainSummary> => {
  const summary = emptySummary();
  const add = (s: DrainSummary) => {
    for (const k of Object.keys(s) as DeliveryOutcome[]) summary[k] += s[k];
  };
  for await (const shopId of shopIds) {
    for (;;) {
      if (deps.clock.now().getTime() >= opts.deadlineMs) return summary;
      const ids = await deps.outbox.due(shopId, deps.clock.now().toISOString(), opts.batchSize ?? 50);
      if (!ids.length) break;
      const s = await deliverAll(
        deps,
        ids.map((outboxId) => ({ shopId, outboxId })),
        opts,
      );
      add(s);
      // Nothing in this batch could be taken (another sender has them, or the table is failing): leave them.
      if (s.not_claimed + s.lost_claim + s.error === ids.length) break;
    }
  }
  return summary;
};
