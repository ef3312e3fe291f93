import { buyer, type Buyer, type Delivery, type ShopifyOrderFactory } from './shopify-orders';

/**
 * Webhook load: a fixed list of deliveries sent by N concurrent senders, each an async loop
 * over one shared queue. fetch (undici) keeps connections alive by default, so after the
 * first request each sender reuses its connection, as Shopify's delivery workers would.
 */

/** Deterministic PRNG (mulberry32) so two runs send the same mix. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** Sequence numbers shared by every phase, so orders and buyers never repeat across phases. */
export interface Sequences {
  order: number;
  buyer: number;
  /** Buyers who already have an order in the shop. */
  known: Buyer[];
}

export interface MixOptions {
  duplicateShare: number;
  /** Of the non-duplicates, the share that comes from a buyer who ordered before. */
  repeatShare: number;
  /**
   * A duplicate repeats a delivery at least this many places earlier in the queue, so its
   * original has usually been handled (Shopify retries after a timeout, not instantly).
   */
  duplicateGap: number;
}

export type DeliveryKind = 'new customer' | 'repeat customer' | 'duplicate';

export interface PlannedDelivery {
  kind: DeliveryKind;
  delivery: Delivery;
}

export const planDeliveries = (
  factory: ShopifyOrderFactory,
  count: number,
  seq: Sequences,
  mix: MixOptions,
  random: () => number,
): PlannedDelivery[] => {
  const plan: PlannedDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const originals = plan.slice(0, Math.max(0, i - mix.duplicateGap)).filter((p) => p.kind !== 'duplicate');
    if (originals.length && random() < mix.duplicateShare) {
      plan.push({ kind: 'duplicate', delivery: originals[Math.floor(random() * originals.length)]!.delivery });
      continue;
    }
    const repeat = seq.known.length > 0 && random() < mix.repeatShare;
    const who = repeat ? seq.known[Math.floor(random() * seq.known.length)]! : buyer(seq.buyer++);
    if (!repeat) seq.known.push(who);
    plan.push({ kind: repeat ? 'repeat customer' : 'new customer', delivery: factory.paidOrder(seq.order++, who) });
  }
  return plan;
};

export interface LoadOptions {
  concurrency: number;
  /** Hard cap on the whole run: senders stop taking work once it has passed. */
  timeCapMs: number;
  requestTimeoutMs: number;
}

export interface LoadResult {
  planned: number;
  sent: number;
  ok: number;
  /** Non-200 answers by status, and failed requests by error name. */
  errors: Record<string, number>;
  /** Of the 200s: the handler's outcome (processed / duplicate / …). */
  outcomes: Record<string, number>;
  /** Every request that got an answer, in ms. */
  latenciesMs: number[];
  wallMs: number;
  hitTimeCap: boolean;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export const runLoad = async (url: string, plan: PlannedDelivery[], options: LoadOptions): Promise<LoadResult> => {
  const result: LoadResult = {
    planned: plan.length,
    sent: 0,
    ok: 0,
    errors: {},
    outcomes: {},
    latenciesMs: [],
    wallMs: 0,
    hitTimeCap: false,
  };
  const started = performance.now();
  const deadline = started + options.timeCapMs;
  let next = 0;

  const send = async ({ delivery }: PlannedDelivery) => {
    const t0 = performance.now();
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        signal: AbortSignal.timeout(options.requestTimeoutMs),
      });
      // Reading the body to the end is what lets the connection be reused.
      const text = await res.text();
      result.latenciesMs.push(performance.now() - t0);
      if (res.status !== 200) return bump(result.errors, `HTTP ${res.status}`);
      result.ok += 1;
      bump(result.outcomes, (JSON.parse(text) as { status?: string }).status ?? 'unknown');
    } catch (e) {
      bump(result.errors, (e as Error).name || 'Error');
    }
  };

  const sender = async () => {
    while (next < plan.length) {
      if (performance.now() >= deadline) {
        result.hitTimeCap = true;
        return;
      }
      const item = plan[next++]!;
      result.sent += 1;
      await send(item);
    }
  };

  await Promise.all(Array.from({ length: options.concurrency }, sender));
  result.wallMs = performance.now() - started;
  return result;
};
