import { createHash } from 'node:crypto';
import { humanCode, newId } from '../../shared/adapters/ids';
import { ledgerDeps, runtime, type Runtime } from '../../shared/wiring/runtime';
import type { StoredIdempotency } from '../../shared/app/ports/ledger';
import { customerExport, customerView, findCustomer } from '../../shared/app/customers-service';
import { publishCustomerCode } from '../../shared/app/referrals-service';
import { referralLink } from '../../shared/http/links';
import { ContentionError } from '../../shared/domain/errors';
import type { CustomerRecord } from '../../shared/domain/ledger/customer';
import type { Plan } from '../../shared/domain/ledger/plans';
import { planAdjustment, planRedemption } from '../../shared/domain/ledger/plans';
import type { Shop } from '../../shared/domain/shop';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { adjustmentRequestSchema, idempotencyKeySchema, ledgerPageSchema, redemptionRequestSchema, tierHistoryQuerySchema } from '../../shared/schemas/customers';
import { tierView } from '../../shared/domain/tiers/progress';
import { npsRequestSchema } from '../../shared/schemas/nightly';
import type { SegmentRecord } from '../../shared/app/ports/nightly';

const access = async (event: HttpEvent) => {
  const rt = runtime();
  const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  return { rt, principal, shop };
};

const customerOr404 = async (rt: Runtime, shop: Shop, event: HttpEvent): Promise<CustomerRecord> => {
  const c = await findCustomer(rt.ledger, shop.id, pathParam(event, 'customerRef'));
  if (!c) throw notFound('Customer');
  return c;
};

/** What the key must keep meaning: the same route, customer and body. */
/** The customer's referral link (published on first sight) and how it has done. */
const referralView = async (rt: Runtime, shop: Shop, c: CustomerRecord, event: HttpEvent) => {
  if (!shop.program.referrals.enabled || c.redactedAt) return null;
  const published = await publishCustomerCode(ledgerDeps(rt), shop, c.cid, undefined, c);
  if (!published.ok) return null;
  const totals = c.referralTotals ?? { conversions: 0, rewardPoints: 0, clawedBackPoints: 0 };
  return {
    code: published.code,
    url: referralLink(rt, event, published.code),
    stats: { clicks: await rt.referrals.codeClicks(shop.id, published.code), ...totals },
    referredBy: c.referredBy ?? null,
  };
};

/** The customer's churn segment as of the last nightly run, or null before the first. */
const segmentView = (s: SegmentRecord | undefined) => (s ? {
  name: s.name,
  since: s.since,
  asOf: s.asOf,
  churnRisk: s.churnRisk,
  pAlive: s.pAlive,
  expectedPurchases90d: s.expectedPurchases90d,
  predictedValue12mMinor: s.predictedValue12mMinor,
  rfm: s.rfm,
} : null);

const requestHash = (event: HttpEvent) => createHash('sha256').update(`${event.routeKey}\n${event.rawPath}\n${event.body ?? ''}`).digest('hex');

const replay = (stored: StoredIdempotency, hash: string): HttpResult => {
  if (stored.requestHash !== hash) {
    throw new HttpError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used with a different request body');
  }
  return json(stored.status, stored.body, { 'idempotent-replayed': 'true' });
};

/**
 * Commits a customer-changing plan exactly once per idempotency key: a repeat (even one
 * racing the first) returns the first result; a plan that lost a race is re-planned.
 */
const onceFor = async (
  rt: Runtime, shop: Shop, event: HttpEvent, key: string,
  attempt: (c: CustomerRecord) => { plan: Plan; status: number; body: unknown },
): Promise<HttpResult> => {
  const hash = requestHash(event);
  for (let i = 0; i < 10; i++) {
    const stored = await rt.ledger.getIdempotency(shop.id, key);
    if (stored) return replay(stored, hash);
    const customer = await customerOr404(rt, shop, event);
    let planned: ReturnType<typeof attempt>;
    try {
      planned = attempt(customer);
    } catch (e) {
      // A refusal (e.g. not enough points) may only be because the same request, racing us,
      // just succeeded: then its result is the answer.
      const first = await rt.ledger.getIdempotency(shop.id, key);
      if (first) return replay(first, hash);
      throw e;
    }
    const { plan, status, body } = planned;
    const outcome = await rt.ledger.commit(shop.id, plan, shop.program, { key, record: { requestHash: hash, status, body } });
    if (outcome === 'committed') return json(status, body);
    await new Promise((r) => setTimeout(r, Math.random() * 20 * (i + 1)));
  }
  throw new ContentionError();
};

export const handler = httpHandler(byRoute({
  'GET /admin/shops/{shopId}/customers/{customerRef}': async (event) => {
    const { rt, shop } = await access(event);
    const c = await customerOr404(rt, shop, event);
    const page = parseWith(ledgerPageSchema, event.queryStringParameters ?? {}, 'Query');
    const [{ entries, nextCursor }, referral, segment] = await Promise.all([
      rt.ledger.listEntries(shop.id, c.cid, page),
      referralView(rt, shop, c, event),
      rt.nightly.getSegment(shop.id, c.cid),
    ]);
    return json(200, { ...customerView(c, shop, rt.clock.now().toISOString()), referral, segment: segmentView(segment), ledger: entries, nextCursor: nextCursor ?? null });
  },

  'GET /admin/shops/{shopId}/customers/{customerRef}/tier-history': async (event) => {
    const { rt, shop } = await access(event);
    const c = await customerOr404(rt, shop, event);
    const { limit } = parseWith(tierHistoryQuerySchema, event.queryStringParameters ?? {}, 'Query');
    return json(200, { tier: tierView(c, shop.program.tiers, shop.currency, rt.clock.now().toISOString()), history: await rt.ledger.listTierChanges(shop.id, c.cid, limit) });
  },

  'GET /admin/shops/{shopId}/customers/{customerRef}/export': async (event) => {
    const { rt, shop } = await access(event);
    const c = await customerOr404(rt, shop, event);
    return json(200, await customerExport(rt.ledger, shop, c, rt.clock.now().toISOString()));
  },

  'POST /admin/shops/{shopId}/customers/{customerRef}/redemptions': async (event) => {
    const { rt, shop } = await access(event);
    const key = header(event, 'idempotency-key');
    if (!key) throw badRequest('idempotency_key_required', 'Send an Idempotency-Key header so a retried redemption is not spent twice');
    parseWith(idempotencyKeySchema, key, 'Idempotency-Key');
    const { rewardId } = jsonBody(event, redemptionRequestSchema);
    return onceFor(rt, shop, event, `redeem:${key}`, (customer) => {
      const now = rt.clock.now().toISOString();
      const r = planRedemption(customer, shop.program, rewardId, { now, entryId: newId(), key, code: humanCode('BMR') });
      if (!r.ok) {
        if (r.error.kind === 'unknown_reward') throw badRequest('unknown_reward', `No reward "${rewardId}" in this shop's catalogue`);
        throw conflict('insufficient_points', `Needs ${r.error.cost} points; the balance is ${r.error.balance}`, r.error);
      }
      const after = r.value.plan.customer!.next;
      return {
        plan: r.value.plan,
        status: 201,
        body: {
          redemption: { id: r.value.plan.entry!.entryId, ...r.value.redemption, currency: shop.currency, at: now },
          points: { balance: after.points.available, pending: after.points.pending },
          storeCredit: { balanceMinor: after.credit.available, currency: shop.currency },
        },
      };
    });
  },

  'POST /admin/shops/{shopId}/customers/{customerRef}/adjustments': async (event) => {
    const { rt, shop, principal } = await access(event);
    const given = header(event, 'idempotency-key');
    if (given) parseWith(idempotencyKeySchema, given, 'Idempotency-Key');
    const body = jsonBody(event, adjustmentRequestSchema);
    const key = given ?? newId();
    const by = body.actor ? `${principalLabel(principal)} (${body.actor})` : principalLabel(principal);
    return onceFor(rt, shop, event, `adjust:${key}`, (customer) => {
      const r = planAdjustment(customer, { points: body.points, reason: body.reason, by, now: rt.clock.now().toISOString(), entryId: newId(), key });
      if (!r.ok) throw conflict('insufficient_points', `The balance is ${r.error.balance}; ${r.error.points} would make it negative`, r.error);
      const after = r.value.customer!.next;
      return { plan: r.value, status: 201, body: { entry: r.value.entry, points: { balance: after.points.available, pending: after.points.pending } } };
    });
  },

  /** An NPS answer (0–10) for the nightly metrics. */
  'POST /admin/shops/{shopId}/customers/{customerRef}/nps': async (event) => {
    const { rt, shop } = await access(event);
    const c = await customerOr404(rt, shop, event);
    const body = jsonBody(event, npsRequestSchema);
    const answer = { cid: c.cid, answerId: newId(), score: body.score, ...(body.comment ? { comment: body.comment } : {}), at: rt.clock.now().toISOString() };
    await rt.nightly.putNpsAnswer(shop.id, answer);
    return json(201, { nps: { id: answer.answerId, customerId: c.cid, score: answer.score, comment: answer.comment ?? null, at: answer.at } });
  },
}));
