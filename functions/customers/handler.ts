import { ledgerDeps, runtime, type Runtime } from '../../shared/wiring/runtime';
import { customerChangeDeps as changeDeps, customerReadDeps } from '../../shared/wiring/customer-runtime';
import { activityChanged, changed, idempotencyKey, requestHash } from '../../shared/http/change-result';
import { customerActivities, recordActivity } from '../../shared/app/activity-service';
import { activityPageSchema, activityRequestSchema } from '../../shared/schemas/activities';
import {
  adjustPoints,
  customerOverview,
  customerTierHistory,
  recordNpsAnswer,
  redeemReward,
} from '../../shared/app/customer-admin-service';
import { customerExport, findCustomer } from '../../shared/app/customer-service';
import { rewardStockOverview } from '../../shared/app/reward-service';
import { referralLink } from '../../shared/http/links';
import type { CustomerRecord } from '../../shared/domain/ledger/customer';
import type { Shop } from '../../shared/domain/shop';
import { audit } from '../../shared/http/audit';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import {
  adjustmentRequestSchema,
  ledgerPageSchema,
  redemptionRequestSchema,
  tierHistoryQuerySchema,
} from '../../shared/schemas/customers';
import { npsRequestSchema } from '../../shared/schemas/nightly';

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

export const handler = httpHandler(
  byRoute({
    'GET /admin/shops/{shopId}/customers/{customerRef}': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      const page = parseWith(ledgerPageSchema, event.queryStringParameters ?? {}, 'Query');
      return json(
        200,
        await customerOverview(customerReadDeps(rt), shop, c, page, (code) => referralLink(rt, event, code)),
      );
    },

    'GET /admin/shops/{shopId}/customers/{customerRef}/tier-history': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      const { limit } = parseWith(tierHistoryQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await customerTierHistory(ledgerDeps(rt), shop, c, limit));
    },

    'GET /admin/shops/{shopId}/customers/{customerRef}/export': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      return json(200, await customerExport(rt.ledger, shop, c, rt.clock.now().toISOString()));
    },

    'POST /admin/shops/{shopId}/customers/{customerRef}/redemptions': async (event) => {
      const { rt, shop, principal } = await access(event);
      const key = idempotencyKey(event, true);
      const { rewardId } = jsonBody(event, redemptionRequestSchema);
      const customerRef = pathParam(event, 'customerRef');
      const r = await redeemReward(changeDeps(rt), shop, {
        customerRef,
        key,
        requestHash: requestHash(event),
        rewardId,
      });
      if (r.ok && !r.value.replayed) {
        const redemption = (r.value.body as { redemption?: { id?: string; pointsCost?: number } }).redemption;
        const cost = redemption?.pointsCost !== undefined ? ` (${redemption.pointsCost} points)` : '';
        await audit(rt, principal, shop, {
          action: 'reward.redeemed',
          target: customerRef,
          summary: `Redeemed reward "${rewardId}"${cost} for ${customerRef}`,
          // Never the discount code itself: it is spendable.
          details: { rewardId, ...(redemption?.id ? { entryId: redemption.id } : {}) },
        });
      }
      return changed(r);
    },

    'POST /admin/shops/{shopId}/customers/{customerRef}/adjustments': async (event) => {
      const { rt, shop, principal } = await access(event);
      const given = idempotencyKey(event, false);
      const body = jsonBody(event, adjustmentRequestSchema);
      const by = body.actor ? `${principalLabel(principal)} (${body.actor})` : principalLabel(principal);
      const customerRef = pathParam(event, 'customerRef');
      const r = await adjustPoints(changeDeps(rt), shop, {
        customerRef,
        requestHash: requestHash(event),
        points: body.points,
        reason: body.reason,
        by,
        ...(given ? { key: given } : {}),
      });
      if (r.ok && !r.value.replayed) {
        const signed = body.points > 0 ? `+${body.points}` : String(body.points);
        await audit(rt, principal, shop, {
          action: 'points.adjusted',
          target: customerRef,
          summary: `Adjusted points of ${customerRef} by ${signed}: ${body.reason}`,
          details: { points: body.points, reason: body.reason, by },
        });
      }
      return changed(r);
    },

    'GET /admin/shops/{shopId}/rewards': async (event) => {
      const { rt, shop } = await access(event);
      return json(200, await rewardStockOverview(rt.ledger, shop));
    },

    /** Something the customer did besides buying (docs/engagement.md), recorded once per `id`. */
    'POST /admin/shops/{shopId}/customers/{customerRef}/activities': async (event) => {
      const { rt, shop, principal } = await access(event);
      const body = jsonBody(event, activityRequestSchema);
      const customerRef = pathParam(event, 'customerRef');
      const r = await recordActivity(changeDeps(rt), shop, {
        customerRef,
        activity: { ...body, source: 'api' },
      });
      // Systems post activities by the thousand; only a person's (a console user's) is audited.
      if (r.ok && !r.value.replayed && principal.kind === 'user') {
        await audit(rt, principal, shop, {
          action: 'activity.recorded',
          target: customerRef,
          summary: `Recorded activity "${body.type}" (${body.id}) for ${customerRef}`,
          details: { id: body.id, type: body.type },
        });
      }
      return activityChanged(r);
    },

    'GET /admin/shops/{shopId}/customers/{customerRef}/activities': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      const page = parseWith(activityPageSchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await customerActivities({ store: rt.ledger }, shop, c, page));
    },

    /** An NPS answer (0–10) for the nightly metrics. */
    'POST /admin/shops/{shopId}/customers/{customerRef}/nps': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      const body = jsonBody(event, npsRequestSchema);
      return json(201, { nps: await recordNpsAnswer({ ...ledgerDeps(rt), nightly: rt.nightly }, shop, c, body) });
    },
  }),
);
