import type { Permission } from '../domain/console/roles';
import { jsonBody, type HttpEvent } from './request';
import { patchShopSchema } from '../schemas/shop';

type Needed = Permission | ((event: HttpEvent) => Permission);

/**
 * A patch of nothing but e-mail template overrides is a marketer's job (docs/console.md);
 * anything else in the program is the owner's.
 */
const shopPatch = (event: HttpEvent): Permission => {
  const body = jsonBody(event, patchShopSchema) as Record<string, unknown>;
  const program = body['program'] as Record<string, unknown> | undefined;
  const emails = program?.['emails'] as Record<string, unknown> | undefined;
  const onlyOverrides =
    Object.keys(body).length === 1 &&
    program !== undefined &&
    Object.keys(program).length === 1 &&
    emails !== undefined &&
    Object.keys(emails).length === 1 &&
    'overrides' in emails;
  return onlyOverrides ? 'emails:write' : 'program:write';
};

/**
 * What a console user's role must allow for each shop route (API keys and the operator may do
 * everything). A shop route missing here is refused to every console user, so a new route is
 * closed until someone decides; test/unit/route-permissions.test.ts lists any that are missing.
 */
export const routePermissions: Record<string, Needed> = {
  'GET /admin/shops/{shopId}': 'shop:read',
  'PATCH /admin/shops/{shopId}': shopPatch,
  'GET /admin/shops/{shopId}/redactions': 'keys:manage',
  'POST /admin/shops/{shopId}/storefront-secret': 'keys:manage',
  'POST /admin/shops/{shopId}/api-key': 'keys:manage',
  'POST /admin/shops/{shopId}/webhook-secret': 'keys:manage',
  'GET /admin/shops/{shopId}/customers/{customerRef}': 'customers:read',
  'GET /admin/shops/{shopId}/customers/{customerRef}/tier-history': 'customers:read',
  'GET /admin/shops/{shopId}/customers/{customerRef}/export': 'customers:export',
  'POST /admin/shops/{shopId}/customers/{customerRef}/redemptions': 'customers:adjust',
  'POST /admin/shops/{shopId}/customers/{customerRef}/adjustments': 'customers:adjust',
  'POST /admin/shops/{shopId}/customers/{customerRef}/nps': 'customers:adjust',
  'POST /admin/shops/{shopId}/customers/{customerRef}/activities': 'customers:adjust',
  'GET /admin/shops/{shopId}/customers/{customerRef}/activities': 'customers:read',
  'POST /admin/shops/{shopId}/customers/{customerRef}/referral-code': 'customers:adjust',
  'POST /admin/shops/{shopId}/jobs/ledger-daily': 'keys:manage',
  'POST /admin/shops/{shopId}/jobs/nightly': 'segments:run',
  'POST /admin/shops/{shopId}/jobs/feedback-alerts': 'emails:write',
  'GET /admin/shops/{shopId}/jobs': 'segments:read',
  'GET /admin/shops/{shopId}/jobs/{jobId}': 'segments:read',
  'GET /admin/shops/{shopId}/referrals': 'referrals:read',
  'GET /admin/shops/{shopId}/referrals/stats': 'analytics:read',
  'POST /admin/shops/{shopId}/referrals/{referralId}/approve': 'referrals:decide',
  'POST /admin/shops/{shopId}/referrals/{referralId}/reject': 'referrals:decide',
  'GET /admin/shops/{shopId}/emails/{type}/preview': 'emails:read',
  'POST /admin/shops/{shopId}/emails/{type}/test': 'emails:write',
  'GET /admin/shops/{shopId}/emails/stats': 'analytics:read',
  'GET /admin/shops/{shopId}/outbox': 'emails:read',
  'POST /admin/shops/{shopId}/outbox/{outboxId}/retry': 'emails:write',
  'GET /admin/shops/{shopId}/suppressions': 'emails:read',
  'PUT /admin/shops/{shopId}/suppressions/{email}': 'emails:write',
  'DELETE /admin/shops/{shopId}/suppressions/{email}': 'emails:write',
  'POST /admin/shops/{shopId}/endpoints': 'keys:manage',
  'GET /admin/shops/{shopId}/endpoints': 'keys:manage',
  'GET /admin/shops/{shopId}/endpoints/{endpointId}': 'keys:manage',
  'PATCH /admin/shops/{shopId}/endpoints/{endpointId}': 'keys:manage',
  'DELETE /admin/shops/{shopId}/endpoints/{endpointId}': 'keys:manage',
  'POST /admin/shops/{shopId}/endpoints/{endpointId}/secret': 'keys:manage',
  'GET /admin/shops/{shopId}/endpoints/{endpointId}/deliveries': 'keys:manage',
  'POST /admin/shops/{shopId}/endpoints/{endpointId}/deliveries/{deliveryId}/retry': 'keys:manage',
  'POST /admin/shops/{shopId}/imports': 'keys:manage',
  'GET /admin/shops/{shopId}/imports': 'keys:manage',
  'POST /admin/shops/{shopId}/imports/uploads': 'keys:manage',
  'PUT /admin/shops/{shopId}/imports/uploads/{uploadId}': 'keys:manage',
  'GET /admin/shops/{shopId}/imports/{importId}': 'keys:manage',
  'POST /admin/shops/{shopId}/imports/{importId}/resume': 'keys:manage',
  'POST /admin/shops/{shopId}/users': 'users:manage',
  'GET /admin/shops/{shopId}/users': 'users:manage',
  'GET /admin/shops/{shopId}/users/{userId}': 'users:manage',
  'PATCH /admin/shops/{shopId}/users/{userId}': 'users:manage',
  'DELETE /admin/shops/{shopId}/users/{userId}': 'users:manage',
  'GET /admin/shops/{shopId}/audit': 'audit:read',
  'GET /admin/shops/{shopId}/stats/daily': 'analytics:read',
  'GET /admin/shops/{shopId}/stats/overview': 'analytics:read',
  'GET /admin/shops/{shopId}/rewards': 'analytics:read',
  'GET /admin/shops/{shopId}/metrics': 'analytics:read',
};

/** Shop routes only the operator may call (requireOperator): no key, no console user. */
export const operatorOnlyRoutes: readonly string[] = ['POST /admin/shops/{shopId}/redactions/{redactionId}/cancel'];

/** The permission the request's route needs, or undefined when no console user may call it. */
export const permissionFor = (event: HttpEvent): Permission | undefined => {
  const needed = routePermissions[event.routeKey];
  return typeof needed === 'function' ? needed(event) : needed;
};
