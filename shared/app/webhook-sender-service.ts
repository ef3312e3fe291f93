import type { Clock } from './ports/clock';
import type { LedgerStore } from './ports/ledger';
import type { Logger } from './ports/logger';
import type { Random } from './ports/random';
import type { Sleep } from './ports/sleep';
import type { DeliverySettlement, EndpointStore, Resolver, WebhookPoster } from './ports/endpoints';
import {
  giveUpAtMs,
  nextAttemptAtMs,
  resultOfStatus,
  retryAfterMs,
  type AttemptResult,
  type Delivery,
} from '../domain/outgoing/delivery';
import { signingSecrets, type Endpoint } from '../domain/outgoing/endpoint';
import { cidsToAddress, endpointWants, eventBody, withAddresses } from '../domain/outgoing/events';
import { webhookHeaders } from '../domain/outgoing/signature';
import { addressAllowed, addressKind, checkTargetUrl, ipFamily, type TargetPolicy } from '../domain/outgoing/ssrf';
import { forEachLimited } from '../domain/for-each-limited';
import { err, ok } from '../domain/result';
import { bumped } from '../domain/versioned';
import { commitEndpointChange, type SubscriptionDeps } from './endpoint-subscriptions';

export interface WebhookSenderDeps {
  store: EndpointStore;
  /** The customers named in an event, for their e-mail at send time. */
  ledger: Pick<LedgerStore, 'getCustomer'>;
  resolver: Resolver;
  poster: WebhookPoster;
  clock: Clock;
  random: Random;
  logger: Logger;
  policy: TargetPolicy;
  /** Rewrites the shop's subscribed types after a 410 disabled an endpoint. */
  subscriptions: Omit<SubscriptionDeps, 'store'>;
  /** Bounds the DNS lookup and the customer read of an attempt (they take no timeout of their own). */
  sleep: Sleep;
  limits: {
    /** One attempt: DNS lookup, customer read and POST (connection to last byte) together. */
    timeoutMs: number;
    /** How long a claim holds: the attempt is cut to end 5 s before it runs out. */
    leaseMs: number;
  };
}

export type SendOutcome = 'delivered' | 'retry' | 'failed' | 'not_claimed' | 'lost_claim' | 'error';
export type WebhookSummary = Record<SendOutcome, number> & { fannedOut: number };

const emptySummary = (): WebhookSummary => ({
  fannedOut: 0,
  delivered: 0,
  retry: 0,
  failed: 0,
  not_claimed: 0,
  lost_claim: 0,
  error: 0,
});

const iso = (ms: number) => new Date(ms).toISOString();
const describe = (e: unknown) =>
  `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`.slice(0, 300);

/**
 * Fans an event out to the endpoints listening to it now: one pending delivery each, written with
 * the event's deletion in one transaction (so a second fan-out by the stream and the sweep at
 * once writes nothing). An event no endpoint wants any more is just deleted.
 */
export const fanOutEvent = async (
  deps: Pick<WebhookSenderDeps, 'store' | 'clock'>,
  shopId: string,
  eventId: string,
): Promise<{ endpointId: string; deliveryId: string }[]> => {
  const event = await deps.store.getEvent(shopId, eventId);
  if (!event) return [];
  const targets = (await deps.store.listEndpoints(shopId)).filter(
    (e) => e.enabled && endpointWants(e.events, event.type),
  );
  const ids = targets.map((e) => e.endpointId);
  const done = await deps.store.fanOut({ ...event, shopId }, ids, deps.clock.now().toISOString());
  return done ? ids.map((endpointId) => ({ endpointId, deliveryId: eventId })) : [];
};

/**
 * Where to connect for an endpoint URL, checked now: an IP literal as it is, a name resolved
 * through the resolver port and every address it gives checked (one bad address refuses the
 * name: DNS round-robin must not be a way in). The sender then connects to the address returned.
 */
const resolveTarget = async (
  deps: WebhookSenderDeps,
  rawUrl: string,
): Promise<{ url: URL; address: string; family: 4 | 6 } | AttemptResult> => {
  const checked = checkTargetUrl(rawUrl, deps.policy);
  if (!checked.ok) return { kind: 'blocked', error: `${checked.error.kind}: ${checked.error.message}` };
  const url = checked.value;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: 4 | 6 }[];
  const family = ipFamily(host);
  if (family) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await deps.resolver.lookup(host);
    } catch (e) {
      return { kind: 'retry', error: `DNS: ${describe(e)}` };
    }
  }
  if (!addresses.length) return { kind: 'retry', error: 'DNS: no address' };
  const bad = addresses.find((a) => !addressAllowed(a.address, deps.policy));
  if (bad)
    return { kind: 'blocked', error: `address_not_allowed: ${host} resolves to a ${addressKind(bad.address)} address` };
  return { url, ...addresses[0]! };
};

const timedOut: unique symbol = Symbol('timed out');

/** `work`, or `timedOut` if it has not settled within `ms` (on the injected sleep). */
const within = <T>(deps: WebhookSenderDeps, ms: number, work: Promise<T>): Promise<T | typeof timedOut> =>
  ms <= 0 ? Promise.resolve(timedOut) : Promise.race([work, deps.sleep(ms).then((): typeof timedOut => timedOut)]);

/**
 * One POST of a claimed delivery, signed with every secret valid now. Everything it waits for —
 * the DNS lookup, the customers' read, the POST — ends by `endsAtMs`, which the claim outlasts:
 * a hanging resolver cannot stretch an attempt past its claim and let a second sender in.
 */
const attempt = async (
  deps: WebhookSenderDeps,
  endpoint: Endpoint,
  d: Delivery,
  endsAtMs: number,
): Promise<AttemptResult> => {
  const left = () => endsAtMs - deps.clock.now().getTime();
  const prepared = await within(
    deps,
    left(),
    (async () => {
      const target = await resolveTarget(deps, endpoint.url);
      if ('kind' in target) return target;
      const cids = cidsToAddress(d.eventType, d.data);
      const customers = await Promise.all(
        cids.map((cid) => deps.ledger.getCustomer(d.shopId, cid, { consistent: false })),
      );
      return { target, data: withAddresses(d.data, new Map(cids.map((cid, i) => [cid, customers[i]]))) };
    })(),
  );
  if (prepared === timedOut) return { kind: 'retry', error: 'timeout: DNS lookup or customer read took too long' };
  if ('kind' in prepared) return prepared;
  const { target, data } = prepared;
  const now = deps.clock.now();
  const body = eventBody({ type: d.eventType, at: d.eventAt, data });
  const headers = webhookHeaders(signingSecrets(endpoint, now.toISOString()), {
    id: d.deliveryId,
    timestamp: Math.floor(now.getTime() / 1000),
    body,
  });
  const timeoutMs = Math.min(deps.limits.timeoutMs, left());
  if (timeoutMs <= 0) return { kind: 'retry', error: 'timeout: no time left for the POST' };
  try {
    const answer = await deps.poster.post({ ...target, headers, body, timeoutMs });
    return resultOfStatus(answer.status, retryAfterMs(answer.retryAfter, deps.clock.now().getTime()));
  } catch (e) {
    return { kind: 'retry', error: describe(e) };
  }
};

/** 410 Gone: the receiver retired this URL. The endpoint is switched off (PATCH `enabled: true` revives it). */
const disableGone = async (deps: WebhookSenderDeps, endpoint: Endpoint, at: string) => {
  // Only the endpoint as it was posted to: a change made since (a new URL, say) stands.
  await commitEndpointChange({ ...deps.subscriptions, store: deps.store }, endpoint.shopId, (endpoints) => {
    const e = endpoints.find((x) => x.endpointId === endpoint.endpointId);
    if (e?.version !== endpoint.version) return err({ kind: 'changed' as const });
    const write = bumped(e, { enabled: false, disabledReason: 'receiver answered 410 Gone', updatedAt: at });
    return ok({ put: write.next, expectedVersion: write.expectedVersion });
  });
};

const settlementOf = (deps: WebhookSenderDeps, d: Delivery, result: AttemptResult): DeliverySettlement => {
  const at = deps.clock.now().toISOString();
  const responseStatus = 'status' in result ? { responseStatus: result.status! } : {};
  switch (result.kind) {
    case 'delivered':
      return { status: 'delivered', at, responseStatus: result.status };
    case 'gone':
      return { status: 'failed', at, reason: 'endpoint_gone', ...responseStatus };
    case 'blocked':
      return { status: 'failed', at, reason: 'blocked_address', error: result.error };
    case 'expired':
      return { status: 'failed', at, reason: 'retries_exhausted', error: result.error };
    case 'retry': {
      // A receiver that asks for a longer pause (Retry-After on a 429 or 503) gets it, within the 72 hours.
      const due = nextAttemptAtMs(d, Date.parse(at), deps.random(), result.notBeforeMs);
      if (due === undefined)
        return { status: 'failed', at, reason: 'retries_exhausted', error: result.error, ...responseStatus };
      return { status: 'retry', at, dueAt: iso(due), error: result.error, ...responseStatus };
    }
  }
};

/** What an attempt leaves of its claim for reading the endpoint and settling. */
const settleRoomMs = 5_000;

/**
 * One attempt at one delivery: claimed first (only one sender at a time), posted, settled under
 * the claim. At least once: a sender that dies after the POST leaves a claim that runs out, and
 * the next one posts again with the same `webhook-id`, which receivers use to drop the duplicate.
 */
export const deliverOne = async (
  deps: WebhookSenderDeps,
  shopId: string,
  endpointId: string,
  deliveryId: string,
): Promise<SendOutcome> => {
  const nowMs = deps.clock.now().getTime();
  const d = await deps.store.claimDelivery(shopId, endpointId, deliveryId, {
    now: iso(nowMs),
    leaseUntil: iso(nowMs + deps.limits.leaseMs),
  });
  // The whole attempt, from the claim, ends with room to settle before the claim runs out: the
  // claim is what keeps a second sender from posting the same delivery at the same time.
  const attemptEndsMs = nowMs + Math.min(deps.limits.timeoutMs, deps.limits.leaseMs - settleRoomMs);
  if (!d) return 'not_claimed';
  const endpoint = await deps.store.getEndpoint(shopId, endpointId);
  let result: AttemptResult;
  // The hard 72-hour limit: a delivery the senders could not get to in time (a long outage of
  // ours) is given up unsent rather than posted late.
  if (nowMs >= giveUpAtMs(d)) result = { kind: 'expired', error: 'not delivered within 72 hours' };
  else if (!endpoint) result = { kind: 'blocked', error: 'endpoint deleted' };
  else if (!endpoint.enabled) result = { kind: 'blocked', error: 'endpoint disabled' };
  else result = await attempt(deps, endpoint, d, attemptEndsMs);
  let settlement = settlementOf(deps, d, result);
  // A disabled endpoint's deliveries are failed, not held (docs/webhooks-outgoing.md): the retry
  // route sends them again once it is enabled.
  if ((!endpoint || !endpoint.enabled) && result.kind !== 'expired')
    settlement = { status: 'failed', at: settlement.at, reason: endpoint ? 'endpoint_disabled' : 'endpoint_deleted' };
  const log = { shopId, endpointId, deliveryId, type: d.eventType, attempts: d.attempts };
  if (settlement.status === 'failed')
    deps.logger.warn('webhook delivery given up', { ...log, reason: settlement.reason, error: settlement.error });
  else if (settlement.status === 'retry')
    deps.logger.info('webhook delivery will be retried', { ...log, error: settlement.error, dueAt: settlement.dueAt });
  if (result.kind === 'gone' && endpoint) await disableGone(deps, endpoint, settlement.at);
  if (!(await deps.store.settleDelivery(d, settlement))) return 'lost_claim';
  return settlement.status;
};

export interface WebhookDrainOptions {
  /** Stop claiming after this (epoch ms). */
  deadlineMs: number;
  batchSize?: number;
  concurrency?: number;
}

type Work = { shopId: string } & (
  { kind: 'event'; eventId: string } | { kind: 'delivery'; endpointId: string; deliveryId: string }
);

const run = async (deps: WebhookSenderDeps, work: readonly Work[], opts: WebhookDrainOptions) => {
  const summary = emptySummary();
  await forEachLimited(work, opts.concurrency ?? 8, async (w) => {
    if (deps.clock.now().getTime() >= opts.deadlineMs) return;
    try {
      const deliveries =
        w.kind === 'event'
          ? await fanOutEvent(deps, w.shopId, w.eventId)
          : [{ endpointId: w.endpointId, deliveryId: w.deliveryId }];
      if (w.kind === 'event') summary.fannedOut++;
      for (const d of deliveries) {
        // Each delivery may take a whole timeout: past the deadline the rest stay due for the sweep.
        if (deps.clock.now().getTime() >= opts.deadlineMs) break;
        summary[await deliverOne(deps, w.shopId, d.endpointId, d.deliveryId)]++;
      }
    } catch (e) {
      // The table failed: the event or delivery stays on the queue and comes round again.
      summary.error++;
      deps.logger.error('webhook work failed', { ...w, error: describe(e) });
    }
  });
  return summary;
};

const add = (into: WebhookSummary, s: WebhookSummary) => {
  for (const k of Object.keys(s) as (keyof WebhookSummary)[]) into[k] += s[k];
};

/** New events from the table stream: fanned out and their deliveries tried at once. */
export const sendEvents = (
  deps: WebhookSenderDeps,
  refs: readonly { shopId: string; eventId: string }[],
  opts: WebhookDrainOptions,
): Promise<WebhookSummary> =>
  run(
    deps,
    refs.map((r) => ({ ...r, kind: 'event' as const })),
    opts,
  );

/**
 * One shop's due work, batch after batch, until it has none left it can move (true) or its
 * deadline comes (false).
 */
const drainShop = async (
  deps: WebhookSenderDeps,
  shopId: string,
  opts: WebhookDrainOptions,
  summary: WebhookSummary,
): Promise<boolean> => {
  for (;;) {
    if (deps.clock.now().getTime() >= opts.deadlineMs) return false;
    const due = await deps.store.due(shopId, deps.clock.now().toISOString(), opts.batchSize ?? 50);
    if (!due.length) return true;
    const s = await run(
      deps,
      due.map((d) => ({ ...d, shopId })),
      opts,
    );
    add(summary, s);
    // Nothing in this batch moved (another sender holds it, or the table is failing): leave it.
    if (s.fannedOut + s.delivered + s.retry + s.failed === 0) return true;
  }
};

/**
 * The sweep: every shop's due work (events the stream missed, retries whose time has come,
 * abandoned claims). Fair between shops: one shop whose receiver hangs (every POST a full
 * timeout) must not take every sweep's whole budget while the shops after it never get their
 * retries. So each sweep starts at another shop (rotating with the clock's minute), each shop
 * gets at most `shopShare` of the budget on the first pass, and only time left after every
 * shop had its turn goes to the shops that were cut off.
 */
export const drainWebhooks = async (
  deps: WebhookSenderDeps,
  shopIds: AsyncIterable<string> | readonly string[],
  opts: WebhookDrainOptions & { shopShare?: number },
): Promise<WebhookSummary> => {
  const summary = emptySummary();
  const ids: string[] = [];
  for await (const shopId of shopIds) ids.push(shopId);
  if (!ids.length) return summary;
  const startMs = deps.clock.now().getTime();
  const first = Math.floor(startMs / 60_000) % ids.length;
  const order = [...ids.slice(first), ...ids.slice(0, first)];
  const shareMs = Math.max(1, (opts.deadlineMs - startMs) * (opts.shopShare ?? 0.25));
  const cutOff: string[] = [];
  for (const shopId of order) {
    const nowMs = deps.clock.now().getTime();
    if (nowMs >= opts.deadlineMs) return summary;
    const deadlineMs = Math.min(opts.deadlineMs, nowMs + shareMs);
    if (!(await drainShop(deps, shopId, { ...opts, deadlineMs }, summary))) cutOff.push(shopId);
  }
  for (const shopId of cutOff) if (!(await drainShop(deps, shopId, opts, summary))) break;
  return summary;
};
