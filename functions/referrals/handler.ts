import { ledgerDeps, runtime } from '../../shared/wiring/runtime';
import { decideHeldReferral, publishReferralCode } from '../../shared/app/referral-review-service';
import { referralStats } from '../../shared/app/referral-stats-service';
import { audit } from '../../shared/http/audit';
import { listReferralQueue } from '../../shared/app/referral-queue-service';
import { referralsQuerySchema } from '../../shared/schemas/stats';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, parseWith, pathParam, statsRange, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { referralCodeRequestSchema } from '../../shared/schemas/customers';
import { referralLink } from '../../shared/http/links';

const deps = (rt: ReturnType<typeof runtime>) => ({ ...ledgerDeps(rt), referrals: rt.referrals });

const decide = (decision: 'approve' | 'reject') => async (event: HttpEvent) => {
  const rt = runtime();
  const { shop, principal } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  const r = await decideHeldReferral(
    deps(rt),
    shop,
    pathParam(event, 'referralId'),
    decision,
    principalLabel(principal),
  );
  if (!r.ok) {
    if (r.error.kind === 'not_found') throw notFound('Referral');
    throw conflict('not_held', `Only held referrals can be decided; this one is ${r.error.status}`);
  }
  await audit(rt, principal, shop, {
    action: decision === 'approve' ? 'referral.approved' : 'referral.rejected',
    target: pathParam(event, 'referralId'),
    summary: `${decision === 'approve' ? 'Approved' : 'Rejected'} the held referral ${pathParam(event, 'referralId')}`,
  });
  return json(200, { referral: r.value });
};

export const handler = httpHandler(
  byRoute({
    'POST /admin/shops/{shopId}/customers/{customerRef}/referral-code': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const body = event.body ? jsonBody(event, referralCodeRequestSchema) : {};
      const r = await publishReferralCode(deps(rt), shop, pathParam(event, 'customerRef'), body.vanity);
      if (!r.ok) {
        const e = r.error;
        if (e.kind === 'invalid_vanity') throw badRequest('invalid_vanity', e.message);
        if (e.kind === 'code_taken') throw conflict('code_taken', `The code "${e.vanity}" is already taken`);
        throw notFound('Customer');
      }
      return json(201, { referral: { code: r.value, url: referralLink(rt, event, r.value) } });
    },

    'POST /admin/shops/{shopId}/referrals/{referralId}/approve': decide('approve'),
    'POST /admin/shops/{shopId}/referrals/{referralId}/reject': decide('reject'),

    /** The review queue: referrals of one status, newest first (docs/console.md, "Statistics"). */
    'GET /admin/shops/{shopId}/referrals': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const q = parseWith(referralsQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await listReferralQueue({ referrals: rt.referrals, store: rt.ledger }, shop, q));
    },

    'GET /admin/shops/{shopId}/referrals/stats': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { from, to } = statsRange(event, rt.clock.now().toISOString().slice(0, 10));
      return json(200, await referralStats(rt.referrals, shop.id, shop.currency, from, to));
    },
  }),
);
