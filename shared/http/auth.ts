import { hashSecret, safeEqual } from '../adapters/secrets';
import { operatorKey } from '../adapters/operator-key';
import type { Runtime } from '../wiring/runtime';
import type { Shop } from '../domain/shop';
import { forbidden, HttpError, notFound, unauthorized } from './errors';
import { hasSessionCookie, requireSession } from './console-session';
import { permissionFor } from './route-permissions';
import { can } from '../domain/console/roles';
import { membershipIn } from '../app/console-session-service';
import { consoleSessionDeps } from '../wiring/console-session-runtime';
import { header, type HttpEvent } from './request';

import type { Role } from '../domain/console/roles';
import type { Actor } from '../app/ports/audit';

/** Who is asking: the operator key, a shop's API key, or a console user signed in to one shop. */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'shop'; shopId: string }
  | { kind: 'user'; shopId: string; userId: string; email: string; role: Role };

const bearer = (event: HttpEvent): string | undefined => {
  const value = header(event, 'authorization');
  const match = value?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
};

const isOperator = async (rt: Runtime, token: string): Promise<boolean> => {
  const key = await operatorKey(rt);
  return key !== undefined && safeEqual(token, key);
};

/** True when the request carries the operator key (no error either way). */
export const isOperatorRequest = async (rt: Runtime, event: HttpEvent): Promise<boolean> => {
  const token = bearer(event);
  return token !== undefined && (await isOperator(rt, token));
};

export const requireOperator = async (rt: Runtime, event: HttpEvent): Promise<Principal> => {
  const token = bearer(event);
  if (!token || !(await isOperator(rt, token))) throw unauthorized();
  return { kind: 'operator' };
};

/**
 * The operator, or the shop's own API key. An unknown shop is 404 for the operator but 403
 * for everyone else, so shop ids cannot be probed with a stolen key of another shop.
 */
export const requireShopAccess = async (
  rt: Runtime,
  event: HttpEvent,
  shopId: string,
): Promise<{ principal: Principal; shop: Shop }> => {
  const token = bearer(event);
  if (!token) {
    if (hasSessionCookie(event)) return consoleUserAccess(rt, event, shopId);
    throw unauthorized();
  }
  if (await isOperator(rt, token)) {
    const shop = await rt.shops.get(shopId);
    if (!shop || shop.status === 'redacting') throw notFound('Shop');
    return { principal: { kind: 'operator' }, shop };
  }
  const shop = await rt.shops.get(shopId);
  if (!shop || shop.status === 'redacting' || !safeEqual(hashSecret(token), shop.apiKeyHash)) {
    if (!token.startsWith('bk_')) throw unauthorized();
    throw forbidden();
  }
  return { principal: { kind: 'shop', shopId }, shop };
};

/**
 * A console user signed in by cookie: a member of this shop whose role allows the route
 * (shared/http/route-permissions.ts). A shop they are not a user of is 403, as for API keys.
 */
const consoleUserAccess = async (
  rt: Runtime,
  event: HttpEvent,
  shopId: string,
): Promise<{ principal: Principal; shop: Shop }> => {
  const active = await requireSession(rt, event);
  const [user, shop] = await Promise.all([
    membershipIn(consoleSessionDeps(rt), active.session, shopId),
    rt.shops.get(shopId),
  ]);
  if (!user || !shop || shop.status === 'redacting') throw forbidden();
  const needed = permissionFor(event);
  if (!needed || !can(user.role, needed)) {
    throw new HttpError(403, 'role_forbidden', `The ${user.role} role cannot do this`, {
      role: user.role,
      ...(needed ? { permission: needed } : {}),
    });
  }
  return { principal: { kind: 'user', shopId, userId: user.userId, email: user.email, role: user.role }, shop };
};

/** Who did it, for audit fields such as a manual adjustment's `by`. */
export const principalLabel = (p: Principal): string =>
  p.kind === 'operator' ? 'operator' : p.kind === 'shop' ? `shop:${p.shopId}` : `user:${p.email}`;

/** The audit log's view of a principal. */
export const actorOf = (p: Principal): Actor =>
  p.kind === 'user'
    ? { kind: 'user', label: principalLabel(p), userId: p.userId, email: p.email, role: p.role }
    : { kind: p.kind === 'shop' ? 'api_key' : 'operator', label: principalLabel(p) };
