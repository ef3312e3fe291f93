import type { CreateEndpointInput, PatchEndpointInput } from '../../schemas/endpoints';
import { secretHint } from './signature';

/** A shop's webhook endpoint as stored. The secret is shown once, at creation; `publicEndpoint` strips it. */
export interface Endpoint {
  shopId: string;
  endpointId: string;
  url: string;
  description?: string;
  events: string[];
  enabled: boolean;
  secret: string;
  /** After a rotation, the old secret still signs (a second signature) until `previousSecretValidUntil`. */
  previousSecret?: string;
  previousSecretValidUntil?: string;
  /** Why it was switched off by us (a 410 from the receiver), if it was. */
  disabledReason?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Endpoints per shop: a fan-out writes every delivery of an event in one transaction (≤ 100 items). */
export const maxEndpointsPerShop = 10;

export const publicEndpoint = (e: Endpoint) => ({
  id: e.endpointId,
  url: e.url,
  ...(e.description !== undefined ? { description: e.description } : {}),
  events: e.events,
  enabled: e.enabled,
  secretHint: secretHint(e.secret),
  ...(e.previousSecretValidUntil ? { previousSecretValidUntil: e.previousSecretValidUntil } : {}),
  ...(e.disabledReason ? { disabledReason: e.disabledReason } : {}),
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

export const newEndpoint = (
  shopId: string,
  endpointId: string,
  input: CreateEndpointInput,
  secret: string,
  now: string,
): Endpoint => ({
  shopId,
  endpointId,
  url: input.url,
  ...(input.description !== undefined ? { description: input.description } : {}),
  events: [...new Set(input.events)],
  enabled: input.enabled ?? true,
  secret,
  createdAt: now,
  updatedAt: now,
  version: 1,
});

export const patchedEndpoint = (e: Endpoint, patch: PatchEndpointInput, now: string): Endpoint => {
  const { disabledReason: _d, ...rest } = e;
  return {
    ...(patch.enabled === true ? rest : e),
    ...(patch.url !== undefined ? { url: patch.url } : {}),
    ...(patch.description !== undefined ? { description: patch.description } : {}),
    ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
    ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
    updatedAt: now,
  };
};

/** A new secret; the old one keeps signing beside it for `graceMs`. */
export const rotatedEndpoint = (e: Endpoint, secret: string, now: Date, graceMs: number): Endpoint => ({
  ...e,
  secret,
  previousSecret: e.secret,
  previousSecretValidUntil: new Date(now.getTime() + graceMs).toISOString(),
  updatedAt: now.toISOString(),
});

/** The secrets that sign a delivery now: the current one, and the previous one while its grace lasts. */
export const signingSecrets = (e: Endpoint, now: string): string[] =>
  e.previousSecret && e.previousSecretValidUntil && e.previousSecretValidUntil > now
    ? [e.secret, e.previousSecret]
    : [e.secret];
