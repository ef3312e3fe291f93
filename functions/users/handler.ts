import * as z from 'zod';
import { listAudit } from '../../shared/app/audit-service';
import {
  getUser,
  inviteUser,
  listUsers,
  removeUser,
  updateUser,
  type PublicUser,
  type UserError,
} from '../../shared/app/user-service';
import { audit } from '../../shared/http/audit';
import { principalLabel, requireShopAccess } from '../../shared/http/auth';
import { conflict, notFound } from '../../shared/http/errors';
import { publicBaseUrl } from '../../shared/http/links';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { auditQuerySchema, createUserSchema, patchUserSchema } from '../../shared/schemas/console';
import { auditStore, userDeps } from '../../shared/wiring/console-runtime';
import { runtime } from '../../shared/wiring/runtime';

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const access = async (event: HttpEvent) => {
  const rt = runtime();
  const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  return { rt, principal, shop };
};

const userId = (event: HttpEvent) => parseWith(idSchema, pathParam(event, 'userId'), 'User id');

const fail = (e: UserError): never => {
  switch (e.kind) {
    case 'not_found':
      throw notFound('User');
    case 'user_exists':
      throw conflict('user_exists', 'This e-mail address is already a user of the shop');
    case 'last_owner':
      throw conflict('last_owner', 'A shop keeps at least one owner: make someone else owner first');
  }
};

const changes = (before: PublicUser, after: PublicUser): string =>
  [
    before.role !== after.role ? `role ${before.role} → ${after.role}` : undefined,
    before.name !== after.name ? `name "${before.name ?? ''}" → "${after.name ?? ''}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ') || 'no change';

export const handler = httpHandler(
  byRoute({
    'POST /admin/shops/{shopId}/users': async (event) => {
      const { rt, principal, shop } = await access(event);
      const input = jsonBody(event, createUserSchema);
      const r = await inviteUser(userDeps(rt, publicBaseUrl(rt, event)), shop, principalLabel(principal), input);
      if (!r.ok) return fail(r.error);
      const user = r.value;
      await audit(rt, principal, shop, {
        action: 'user.invited',
        target: user.id,
        summary: `Invited ${user.email} as ${user.role}`,
        details: { email: user.email, role: user.role },
      });
      return json(201, { user });
    },

    'GET /admin/shops/{shopId}/users': async (event) => {
      const { rt, shop } = await access(event);
      return json(200, await listUsers(userDeps(rt), shop));
    },

    'GET /admin/shops/{shopId}/users/{userId}': async (event) => {
      const { rt, shop } = await access(event);
      const r = await getUser(userDeps(rt), shop, userId(event));
      return r.ok ? json(200, { user: r.value }) : fail(r.error);
    },

    'PATCH /admin/shops/{shopId}/users/{userId}': async (event) => {
      const { rt, principal, shop } = await access(event);
      const id = userId(event);
      const r = await updateUser(userDeps(rt), shop, id, jsonBody(event, patchUserSchema));
      if (!r.ok) return fail(r.error);
      const { before, user } = r.value;
      await audit(rt, principal, shop, {
        action: 'user.updated',
        target: user.id,
        summary: `Updated ${user.email}: ${changes(before, user)}`,
        details: {
          email: user.email,
          from: { role: before.role, name: before.name },
          to: { role: user.role, name: user.name },
        },
      });
      return json(200, { user });
    },

    'DELETE /admin/shops/{shopId}/users/{userId}': async (event) => {
      const { rt, principal, shop } = await access(event);
      const r = await removeUser(userDeps(rt), shop, userId(event));
      if (!r.ok) return fail(r.error);
      await audit(rt, principal, shop, {
        action: 'user.removed',
        target: r.value.id,
        summary: `Removed ${r.value.email} (${r.value.role})`,
        details: { email: r.value.email, role: r.value.role },
      });
      return { statusCode: 204 };
    },

    'GET /admin/shops/{shopId}/audit': async (event) => {
      const { rt, shop } = await access(event);
      const query = parseWith(auditQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, await listAudit({ audit: auditStore(rt) }, shop.id, query));
    },
  }),
);
