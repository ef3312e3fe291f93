import type { CustomerRecord } from '../domain/ledger/customer';
import { resolveLocale } from '../domain/emails/locales';
import type { Shop } from '../domain/shop';
import { feedbackAlertContent, type FeedbackAlertRow } from '../domain/surveys/alerts';
import type { Clock } from './ports/clock';
import type { CustomerSummaryStore } from './ports/customer-summary';
import type { FeedbackStore, PendingFeedback } from './ports/feedback';
import type { NewId } from './ports/ids';
import type { LedgerStore } from './ports/ledger';
import type { Logger } from './ports/logger';
import type { Mailer } from './ports/mailer';
import type { NpsAnswer } from './ports/nightly';
import type { ShopStore } from './ports/shops';
import type { UserStore } from './ports/users';

/** The hourly feedback alerts (docs/surveys.md), and `POST …/jobs/feedback-alerts` for one shop now. */
export interface FeedbackAlertDeps {
  feedback: FeedbackStore;
  ledger: Pick<LedgerStore, 'getCustomer'>;
  /** The customer's orders and spend for the history line; without it, only the customer record's. */
  summaries?: Pick<CustomerSummaryStore, 'get'>;
  users: Pick<UserStore, 'list'>;
  mailer: Mailer;
  clock: Clock;
  /** Each batch's claim token. */
  newId: NewId;
  logger: Logger;
  /** How long a batch holds its answers: longer than one SES call can take. */
  leaseMs?: number;
}

export interface FeedbackAlertSummary {
  shopId: string;
  asOf: string;
  /** Answers listed in the e-mail(s) sent. */
  alerted: number;
  emails: number;
  recipients: number;
  /** Pending answers another batch held, or whose alert could not be sent (they stay pending). */
  left: number;
}

/** Answers per e-mail: a bad hour stays readable; the rest follow in further e-mails of the same run. */
const perEmail = 50;
const maxEmailsPerRun = 10;

/**
 * Who hears about unhappy customers: the console's marketers, the shop's marketer addresses and
 * `surveys.alertRecipients`; when there are none, the shop's owners rather than no one.
 */
export const alertRecipients = async (deps: Pick<FeedbackAlertDeps, 'users'>, shop: Shop): Promise<string[]> => {
  const users = await deps.users.list(shop.id);
  const wanted = [
    ...users.filter((u) => u.role === 'marketer').map((u) => u.email),
    ...shop.marketerEmails,
    ...shop.program.surveys.alertRecipients,
  ];
  const chosen = wanted.length ? wanted : users.filter((u) => u.role === 'owner').map((u) => u.email);
  return [...new Set(chosen.map((e) => e.trim().toLowerCase()))];
};

const rowOf = async (deps: FeedbackAlertDeps, shop: Shop, a: NpsAnswer): Promise<FeedbackAlertRow> => {
  const [c, summary] = await Promise.all([
    deps.ledger.getCustomer(shop.id, a.cid),
    deps.summaries?.get(shop.id, a.cid),
  ]);
  const orders = Object.values(summary?.orders ?? {}).filter((o) => o.currency === shop.currency);
  const known = c && !c.redactedAt ? c : undefined;
  return {
    answerId: a.answerId,
    at: a.at,
    source: a.source ?? 'api',
    score: a.score,
    ...(a.buyAgain !== undefined ? { buyAgain: a.buyAgain } : {}),
    ...(a.tryOther !== undefined ? { tryOther: a.tryOther } : {}),
    ...(a.comment && known ? { comment: a.comment } : {}),
    ...(a.orderId ? { orderId: a.orderId } : {}),
    customer: {
      cid: a.cid,
      ...(known ? nameAndEmail(known) : {}),
      orders: summary ? orders.length : (known?.earnedOrders ?? 0),
      totalSpentMinor: orders.reduce((sum, o) => sum + o.revenueMinor, 0),
      points: known?.points.available ?? 0,
      ...(known?.tier
        ? { tierName: shop.program.tiers.levels.find((l) => l.id === known.tier!.id)?.name ?? known.tier.id }
        : {}),
      ...(known?.lastOrderAt ? { lastOrderAt: known.lastOrderAt } : {}),
    },
  };
};

const nameAndEmail = (c: CustomerRecord) => {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
  return { ...(name ? { name } : {}), ...(c.email ? { email: c.email } : {}) };
};

/**
 * Sends the shop's pending feedback alerts answered up to `asOf`: claims each answer for this
 * batch, sends one e-mail per batch of claimed answers, then marks them alerted. Concurrent runs
 * split the answers between them; a retried run finds nothing left. A send that fails releases
 * its answers for the next run; a run that dies between sending and marking leaves them to be
 * sent again after the lease (at most one repeat, never a loss).
 */
export const sendFeedbackAlerts = async (
  deps: FeedbackAlertDeps,
  shop: Shop,
  asOf: Date,
): Promise<FeedbackAlertSummary> => {
  const now = deps.clock.now();
  const until = (asOf < now ? asOf : now).toISOString();
  const summary: FeedbackAlertSummary = { shopId: shop.id, asOf: until, alerted: 0, emails: 0, recipients: 0, left: 0 };
  // Most shops have nothing pending most hours: their users are read only when something is.
  let to: string[] | undefined;
  const seen = new Set<string>();
  for (let round = 0; round < maxEmailsPerRun; round++) {
    const pending = (await deps.feedback.pending(shop.id, until, perEmail + seen.size)).filter(
      (p) => !seen.has(p.answerId),
    );
    if (!pending.length) break;
    const claim = deps.newId();
    const nowIso = deps.clock.now().toISOString();
    const leaseUntil = new Date(deps.clock.now().getTime() + (deps.leaseMs ?? 10 * 60_000)).toISOString();
    const claimed: { ref: PendingFeedback; answer: NpsAnswer }[] = [];
    for (const ref of pending.slice(0, perEmail)) {
      seen.add(ref.answerId);
      const answer = await deps.feedback.claim(shop.id, ref, { claim, now: nowIso, leaseUntil });
      if (answer) claimed.push({ ref, answer });
      else summary.left++;
    }
    if (!claimed.length) continue;
    to ??= await alertRecipients(deps, shop);
    summary.recipients = to.length;
    if (!to.length) {
      // Nobody to tell: keep them pending until the shop has someone (a user or an address).
      await Promise.all(claimed.map((c) => deps.feedback.release(shop.id, c.ref, claim)));
      summary.left += claimed.length;
      break;
    }
    const rows = await Promise.all(claimed.map((c) => rowOf(deps, shop, c.answer)));
    const content = feedbackAlertContent(shop, resolveLocale(shop.locale, undefined), rows);
    try {
      await deps.mailer.send({
        from: shop.senderEmail,
        to,
        ...content,
        tags: { boomerang_shop: shop.id, boomerang_type: 'feedback_alert' },
      });
    } catch (e) {
      await Promise.all(claimed.map((c) => deps.feedback.release(shop.id, c.ref, claim)));
      summary.left += claimed.length;
      deps.logger.error('feedback alert not sent; the answers stay pending', {
        shopId: shop.id,
        answers: claimed.length,
        error: (e as Error)?.name ?? 'Error',
      });
      break;
    }
    const at = deps.clock.now().toISOString();
    await Promise.all(claimed.map((c) => deps.feedback.markAlerted(shop.id, c.ref, claim, at)));
    summary.alerted += claimed.length;
    summary.emails++;
  }
  return summary;
};

/** The hourly schedule: every active shop's pending alerts as of `asOf` (default: now). */
export const runScheduledFeedbackAlerts = async (
  deps: FeedbackAlertDeps & { shops: Pick<ShopStore, 'get' | 'listShopIds'> },
  asOf?: string,
): Promise<{ asOf: string; shops: number; alerted: number; emails: number; failedShops: number }> => {
  const at = asOf ? new Date(asOf) : deps.clock.now();
  const totals = { asOf: at.toISOString(), shops: 0, alerted: 0, emails: 0, failedShops: 0 };
  for await (const shopId of deps.shops.listShopIds()) {
    const shop = await deps.shops.get(shopId);
    if (!shop || shop.status !== 'active') continue;
    // One shop's failure (its sender refused, a throttled read) must not keep the others' alerts back;
    // its answers stay pending for the next hour.
    try {
      const s = await sendFeedbackAlerts(deps, shop, at);
      totals.shops++;
      totals.alerted += s.alerted;
      totals.emails += s.emails;
    } catch (e) {
      totals.failedShops++;
      deps.logger.error('feedback alerts failed for a shop', { shopId, error: (e as Error).message });
    }
  }
  return totals;
};
