import { ledgerDeps, runtime } from '../../shared/wiring/runtime';
import { findCustomer } from '../../shared/app/customers-service';
import { commitWithRetry } from '../../shared/app/ledger-service';
import { referralStats } from '../../shared/app/referral-stats';
import { publishCustomerCode, withReconciled } from '../../shared/app/referrals-service';
import { validateVanity } from '../../shared/domain/referrals/codes';
import { decideReferral } from '../../shared/domain/referrals/referral';
import type { CustomerRecord } from '../../shared/domain/ledger/customer';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, pathParam, statsRange, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { referralCodeRequestSchema } from '../../shared/schemas/customers';
import { referralLink } from '../../shared/http/links';

const deps = ledgerDeps;

/** A held referral that is rejected no longer counts towards the referrer's conversions or cap. */
const uncounted = (c: CustomerRecord, createdAt: string): CustomerRecord => {
  const month = createdAt.slice(0, 7);
  const totals = c.referralTotals ?? { conversions: 0, rewardPoints: 0, clawedBackPoints: 0 };
  const months = { ...c.referralConversions };
  if (months[month]) months[month] = Math.max(0, months[month]! - 1);
  return { ...c, referralTotals: { ...totals, conversions: Math.max(0, totals.conversions - 1) }, referralConversions: months, version: c.version + 1 };
};

const decide = (decision: 'approve' | 'reject') => async (event: HttpEvent) => {
  const rt = runtime();
  const { shop, principal } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  const referralId = pathParam(event, 'referralId');
  const existing = await rt.referrals.getReferral(shop.id, referralId);
  if (!existing) throw notFound('Referral');
  if (existing.status !== 'held') throw conflict('not_held', `Only held referrals can be decided; this one is ${existing.status}`);
  await commitWithRetry(deps(rt), shop, async () => {
    const ref = await rt.referrals.getReferral(shop.id, referralId);
    if (!ref) return undefined;
    const decided = decideReferral(ref, decision, principalLabel(principal), rt.clock.now().toISOString());
    if (!decided.ok) return undefined;
    const order = await rt.ledger.getOrder(shop.id, ref.orderId);
    if (!order) return { referral: { next: decided.next, expectedVersion: ref.version } };
    // The order is rewritten (version bump only) so a cancel, refund or confirmation racing this
    // decision conflicts with it and is re-planned against the decided referral.
    const touchOrder = { order: { next: { ...order, version: order.version + 1 }, expectedVersion: order.version } };
    if (decision === 'reject') {
      const referrer = await rt.ledger.getCustomer(shop.id, ref.referrerCid);
      return { ...touchOrder, referral: { next: decided.next, expectedVersion: ref.version }, ...(referrer ? { referrer: { customer: { next: uncounted(referrer, ref.createdAt), expectedVersion: referrer.version } } } : {}) };
    }
    // Approving pays the reward if the friend's order still stands.
    return withReconciled(deps(rt), shop, decided.next, order, touchOrder, ref.version);
  });
  const after = await rt.referrals.getReferral(shop.id, referralId);
  return json(200, { referral: after });
};

export const handler = httpHandler(byRoute({
  'POST /admin/shops/{shopId}/customers/{customerRef}/referral-code': async (event) => {
    const rt = runtime();
    const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
    const body = event.body ? jsonBody(event, referralCodeRequestSchema) : {};
    let vanity: string | undefined;
    if (body.vanity !== undefined) {
      const v = validateVanity(body.vanity);
      if (!v.ok) throw badRequest('invalid_vanity', v.error.message);
      vanity = v.value;
    }
    const customer = await findCustomer(rt.ledger, shop.id, pathParam(event, 'customerRef'));
    if (!customer) throw notFound('Customer');
    const r = await publishCustomerCode(deps(rt), shop, customer.cid, vanity, customer);
    if (!r.ok) {
      if (r.reason === 'code_taken') throw conflict('code_taken', `The code "${vanity}" is already taken`);
      throw notFound('Customer');
    }
    return json(201, { referral: { code: r.code, url: referralLink(rt, event, r.code) } });
  },

  'POST /admin/shops/{shopId}/referrals/{referralId}/approve': decide('approve'),
  'POST /admin/shops/{shopId}/referrals/{referralId}/reject': decide('reject'),

  'GET /admin/shops/{shopId}/referrals/stats': async (event) => {
    const rt = runtime();
    const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
    const { from, to } = statsRange(event, rt.clock.now().toISOString().slice(0, 10));
    return json(200, await referralStats(rt.referrals, shop.id, shop.currency, from, to));
  },
}));
