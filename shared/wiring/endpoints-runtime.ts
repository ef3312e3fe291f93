import { randomBytes } from 'node:crypto';
import type { EndpointAdminDeps } from '../app/endpoint-service';
import type { WebhookSenderDeps } from '../app/webhook-sender-service';
import type { EndpointStore } from '../app/ports/endpoints';
import { dynamoEndpointStore } from '../adapters/endpoint-store';
import { newId } from '../adapters/ids';
import { random } from '../adapters/random';
import { sleep } from '../adapters/sleep';
import { dnsResolver, httpPoster } from '../adapters/webhook-http';
import { endpointSecret } from '../domain/outgoing/signature';
import type { TargetPolicy } from '../domain/outgoing/ssrf';
import type { Runtime } from './current-runtime';

/** Outgoing webhooks' adapters, built from the process runtime (only the functions that use them bundle them). */
export const endpointStore = (rt: Runtime): EndpointStore => dynamoEndpointStore(rt.table, rt.tableName, newId);

/**
 * Where deliveries may go: loopback only where BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK says (npm start,
 * tests), and never inside Lambda, even if someone sets the variable on a function by hand.
 */
export const targetPolicy = (rt: Runtime, processEnv: NodeJS.ProcessEnv = process.env): TargetPolicy => ({
  allowLoopback: rt.env.BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK === 'true' && !processEnv.AWS_LAMBDA_FUNCTION_NAME,
});

/** How long a rotated endpoint secret keeps signing beside the new one. */
const secretGraceMs = 24 * 3_600_000;

export const endpointAdminDeps = (rt: Runtime): EndpointAdminDeps => ({
  store: endpointStore(rt),
  shops: rt.shops,
  clock: rt.clock,
  random,
  sleep,
  newId,
  // 32 random bytes, base64 after `whsec_` (the Standard Webhooks form).
  newSecret: () => endpointSecret(randomBytes(32)),
  policy: targetPolicy(rt),
  secretGraceMs,
});

export const webhookSenderDeps = (rt: Runtime): WebhookSenderDeps => ({
  store: endpointStore(rt),
  ledger: rt.ledger,
  resolver: rt.resolver ?? dnsResolver,
  poster: httpPoster,
  clock: rt.clock,
  random,
  logger: rt.logger,
  policy: targetPolicy(rt),
  subscriptions: { shops: rt.shops, clock: rt.clock, random, sleep },
  sleep,
  limits: {
    timeoutMs: rt.env.BOOMERANG_WEBHOOKS_TIMEOUT_SECONDS * 1000,
    // Past the timeout with room to settle; a claim that runs out means "send again".
    leaseMs: (rt.env.BOOMERANG_WEBHOOKS_TIMEOUT_SECONDS + 20) * 1000,
  },
});
