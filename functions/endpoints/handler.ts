import * as z from 'zod';
import { endpointAdminDeps } from '../../shared/wiring/endpoints-runtime';
import { runtime } from '../../shared/wiring/runtime';
import {
  createEndpoint,
  deleteEndpoint,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  patchEndpoint,
  retryDelivery,
  rotateEndpointSecret,
  type EndpointError,
  type RetryDeliveryError,
} from '../../shared/app/endpoint-service';
import { audit } from '../../shared/http/audit';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { createEndpointSchema, deliveriesQuerySchema, patchEndpointSchema } from '../../shared/schemas/endpoints';

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const access = async (event: HttpEvent) => {
  const rt = runtime();
  const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
  return { rt, principal, shop, deps: endpointAdminDeps(rt) };
};

/** An endpoint named in the audit log by its host only: a URL's path or query may carry a token. */
const where = (e: { url: string }) => {
  try {
    return new URL(e.url).host;
  } catch {
    return 'an endpoint';
  }
};

const endpointId = (event: HttpEvent) => parseWith(idSchema, pathParam(event, 'endpointId'), 'Endpoint id');

const fail = (e: EndpointError | RetryDeliveryError): never => {
  switch (e.kind) {
    case 'not_found':
      throw notFound('Endpoint');
    case 'delivery_not_found':
      throw notFound('Delivery');
    case 'not_failed':
      throw conflict('not_failed', 'Only failed deliveries can be retried');
    case 'too_many_endpoints':
      throw new HttpError(409, 'too_many_endpoints', `A shop may have at most ${e.max} endpoints`, { max: e.max });
    case 'url_not_allowed':
      throw badRequest('url_not_allowed', `Webhooks cannot be sent to this URL: ${e.message}`, {
        reason: e.reason,
      });
  }
};

export const handler = httpHandler(
  byRoute({
    'POST /admin/shops/{shopId}/endpoints': async (event) => {
      const { rt, principal, shop, deps } = await access(event);
      const r = await createEndpoint(deps, shop, jsonBody(event, createEndpointSchema));
      if (!r.ok) return fail(r.error);
      rt.logger.info('webhook endpoint created', { shopId: shop.id, endpointId: r.value.endpoint.id });
      const { endpoint } = r.value;
      await audit(rt, principal, shop, {
        action: 'endpoint.created',
        target: endpoint.id,
        summary: `Added a webhook endpoint at ${where(endpoint)} for ${endpoint.events.join(', ')}`,
        details: { events: endpoint.events, enabled: endpoint.enabled },
      });
      return json(201, { id: r.value.endpoint.id, secret: r.value.secret, endpoint: r.value.endpoint });
    },

    'GET /admin/shops/{shopId}/endpoints': async (event) => {
      const { shop, deps } = await access(event);
      return json(200, await listEndpoints(deps, shop));
    },

    'GET /admin/shops/{shopId}/endpoints/{endpointId}': async (event) => {
      const { shop, deps } = await access(event);
      const r = await getEndpoint(deps, shop, endpointId(event));
      return r.ok ? json(200, { endpoint: r.value }) : fail(r.error);
    },

    'PATCH /admin/shops/{shopId}/endpoints/{endpointId}': async (event) => {
      const { rt, principal, shop, deps } = await access(event);
      const id = endpointId(event);
      const patch = jsonBody(event, patchEndpointSchema);
      const r = await patchEndpoint(deps, shop, id, patch);
      if (!r.ok) return fail(r.error);
      await audit(rt, principal, shop, {
        action: 'endpoint.updated',
        target: id,
        summary: `Changed the webhook endpoint at ${where(r.value)}: ${Object.keys(patch).join(', ')}`,
        details: { fields: Object.keys(patch), events: r.value.events, enabled: r.value.enabled },
      });
      return json(200, { endpoint: r.value });
    },

    'DELETE /admin/shops/{shopId}/endpoints/{endpointId}': async (event) => {
      const { rt, principal, shop, deps } = await access(event);
      const id = endpointId(event);
      const r = await deleteEndpoint(deps, shop, id);
      if (!r.ok) return fail(r.error);
      await audit(rt, principal, shop, {
        action: 'endpoint.deleted',
        target: id,
        summary: `Deleted webhook endpoint ${id}`,
      });
      return { statusCode: 204 };
    },

    /** A new secret, shown once; the old one keeps signing beside it for 24 hours. */
    'POST /admin/shops/{shopId}/endpoints/{endpointId}/secret': async (event) => {
      const { rt, principal, shop, deps } = await access(event);
      const r = await rotateEndpointSecret(deps, shop, endpointId(event));
      if (!r.ok) return fail(r.error);
      await audit(rt, principal, shop, {
        action: 'endpoint.secret_rotated',
        target: r.value.endpoint.id,
        summary: `Rotated the signing secret of the webhook endpoint at ${where(r.value.endpoint)}`,
      });
      return json(200, { id: r.value.endpoint.id, secret: r.value.secret, endpoint: r.value.endpoint });
    },

    'GET /admin/shops/{shopId}/endpoints/{endpointId}/deliveries': async (event) => {
      const { shop, deps } = await access(event);
      const id = endpointId(event);
      const query = parseWith(deliveriesQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const r = await listDeliveries(deps, shop, id, query);
      return r.ok ? json(200, r.value) : fail(r.error);
    },

    'POST /admin/shops/{shopId}/endpoints/{endpointId}/deliveries/{deliveryId}/retry': async (event) => {
      const { shop, deps } = await access(event);
      const id = endpointId(event);
      const deliveryId = parseWith(idSchema, pathParam(event, 'deliveryId'), 'Delivery id');
      const r = await retryDelivery(deps, shop, id, deliveryId);
      return r.ok ? json(200, { delivery: r.value }) : fail(r.error);
    },
  }),
);
