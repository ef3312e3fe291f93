import { createHash } from 'node:crypto';
import { humanCode } from '../../shared/domain/human-code';
import { ledgerDeps, runtime, type Runtime } from '../../shared/wiring/runtime';
import {
  adjustPoints,
  customerOverview,
  customerTierHistory,
  recordNpsAnswer,
  redeemReward,
  type ChangeRefusal,
  type ChangeResponse,
  type CustomerChangeDeps,
} from '../../shared/app/customer-admin-service';
import { customerExport, findCustomer } from '../../shared/app/customer-service';
import { referralLink } from '../../shared/http/links';
import type { CustomerRecord } from '../../shared/domain/ledger/customer';
import type { AdjustmentError, RedemptionError } from '../../shared/domain/ledger/plans';
import type { DomainResult } from '../../shared/domain/result';
import type { Shop } from '../../shared/domain/shop';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { header, jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import {
  adjustmentRequestSchema,
  idempotencyKeySchema,
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

const changeDeps = (rt: Runtime): CustomerChangeDeps => {
  const deps = ledgerDeps(rt);
  return { ...deps, humanCode: (prefix) => humanCode(deps.randomInt, prefix) };
};

/** What the idempotency key must keep meaning: the same route, customer and body. */
const requestHash = (event: HttpEvent) =>
  createHash('sha256')
    .update(`${event.routeKey}\n${event.rawPath}\n${event.body ?? ''}`)
    .digest('hex');

/** A committed (or replayed) change as the response; a refusal as its error. */
const changed = (r: DomainResult<ChangeResponse, ChangeRefusal | RedemptionError | AdjustmentError>): HttpResult => {
  if (r.ok) return json(r.value.status, r.value.body, r.value.replayed ? { 'idempotent-replayed': 'true' } : {});
  const e = r.error;
  switch (e.kind) {
    case 'customer_not_found':
      throw notFound('Customer');
    case 'idempotency_key_reused':
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body',
      );
    case 'unknown_reward':
      throw badRequest('unknown_reward', `No reward "${e.rewardId}" in this shop's catalogue`);
    case 'insufficient_points':
      throw conflict('insufficient_points', `Needs ${e.cost} points; the balance is ${e.balance}`, e);
    case 'would_go_negative':
      throw conflict('insufficient_points', `The balance is ${e.balance}; ${e.points} would make it negative`, e);
  }
};

export const handler = httpHandler(
  byRoute({
    'GET /admin/shops/{shopId}/customers/{customerRef}': async (event) => {
      const { rt, shop } = await access(event);
      const c = await customerOr404(rt, shop, event);
      const page = parseWith(ledgerPageSchema, event.queryStringParameters ?? {}, 'Query');
      const deps = { ...ledgerDeps(rt), referrals: rt.referrals, nightly: rt.nightly };
      return json(200, await customerOverview(deps, shop, c, page, (code) => referralLink(rt, event, code)));
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
      const { rt, shop } = await access(event);
      const key = header(event, 'idempotency-key');
      if (!key)
        throw badRequest(
          'idempotency_key_required',
          'Send an Idempotency-Key header so a retried redemption is not spent twice',
        );
      parseWith(idempotencyKeySchema, key, 'Idempotency-Key');
      const { rewardId } = jsonBody(event, redemptionRequestSchema);
      const r = await redeemReward(changeDeps(rt), shop, {
        customerRef: pathParam(event, 'customerRef'),
        key,
        requestHash: requestHash(event),
        rewardId,
      });
      return changed(r);
    },

    'POST /admin/shops/{shopId}/customers/{customerRef}/adjustments': async (event) => {
      const { rt, shop, principal } = await access(event);
      const given = header(event, 'idempotency-key');
      if (given) parseWith(idempotencyKeySchema, given, 'Idempotency-Key');
      const body = jsonBody(event, adjustmentRequestSchema);
      const by = body.actor ? `${principalLabel(principal)} (${body.actor})` : principalLabel(principal);
      const r = await adjustPoints(changeDeps(rt), shop, {
        customerRef: pathParam(event, 'customerRef'),
        requestHash: requestHash(event),
        points: body.points,
        reason: body.reason,
        by,
        ...(given ? { key: given } : {}),
      });
      return changed(r);
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
