import { countedOrder, endOfDayMs, type CountedOrder } from '../../domain/churn/purchases';
import {
  shardsOfSegment,
  summaryNpsOf,
  type CustomerSummary,
  type LoyaltyIntent,
  type SummaryNps,
  type SummaryProfile,
  type SummarySource,
} from '../../domain/churn/customer-summary';
import type { ExportCustomer } from '../../domain/churn/export-rows';
import type { CustomerRecord } from '../../domain/ledger/customer';
import type { Shop } from '../../domain/shop';
import { jobFiles, writeJson } from './files';
import type { NightlyDeps } from '../ports/nightly';
import type { SummaryReader } from '../ports/customer-summary';
import { upgradeDue } from '../../domain/ledger/tier-effects';
import { forEachLimited } from '../../domain/for-each-limited';
import { fillSummaries } from '../customer-summary-service';

export interface StepInput {
  shopId: string;
  jobId: string;
  asOf: string;
  totalSegments: number;
}

/** What one segment found: written by summarise, grouped by customer in fit. */
export interface SegmentSummary {
  customers: ExportCustomer[];
  orders: CountedOrder[];
  nps: NightlyAnswer[];
}

/** An answer as the night collects it: the NPS score and, from surveys, the loyalty-index answers. */
export type NightlyAnswer = { cid: string } & SummaryNps;

/** What a segment read from DynamoDB: items examined (ScannedCount, plus items read by key). */
export interface SegmentRead {
  items: number;
  /** `summaries`: the shop's summary shards; `scan`: the whole table, filtered (backfill night, or no summaries). */
  source: 'summaries' | 'scan';
  /** This segment completed the shop's summaries (the last segment of the backfill night). */
  built?: boolean;
}

type ProfileOf = Pick<
  CustomerRecord,
  'cid' | 'platformCustomerId' | 'email' | 'redactedAt' | 'tier' | 'tierStats' | 'engagedDays' | 'membership'
> & {
  points: { available: number; pending: number };
};

/** The customer as the export and metrics read it; a redacted customer keeps no personal data. */
export const exportCustomerOf = (c: ProfileOf): ExportCustomer => ({
  cid: c.cid,
  ...(c.platformCustomerId !== undefined ? { platformCustomerId: c.platformCustomerId } : {}),
  ...(c.redactedAt ? { redactedAt: c.redactedAt } : c.email !== undefined ? { email: c.email } : {}),
  points: { available: c.points.available, pending: c.points.pending },
  ...(c.tier ? { tier: c.tier.id } : {}),
  ...(c.engagedDays?.length ? { engagedDays: c.engagedDays } : {}),
  ...(c.membership ? { membership: c.membership } : {}),
});

/**
 * The last instant a run's NPS answers are counted up to: the end of the as-of day, or, for a run
 * started before the day ended (a manual run for today), the run's start, so that answers given
 * during and after the run are left to `GET …/metrics`'s `latest` (which counts those after this
 * instant) and none is counted twice or missed.
 */
export const answersCountedUntil = (asOf: string, runCreatedAt: string | undefined): string => {
  const lastOfDay = endOfDayMs(asOf) - 1;
  const started = runCreatedAt !== undefined ? Date.parse(runCreatedAt) : Number.NaN;
  return new Date(Number.isNaN(started) ? lastOfDay : Math.min(lastOfDay, started)).toISOString();
};

/** Collects one segment's output; `upgrades` are the customers the tier check moves up. */
const collector = (
  shop: Shop | undefined,
  tierShop: Shop | undefined,
  asOf: string,
  now: string,
  answersUntil: string,
) => {
  const end = endOfDayMs(asOf);
  const answersEnd = Date.parse(answersUntil);
  const out: SegmentSummary = { customers: [], orders: [], nps: [] };
  const upgrades: string[] = [];
  const customer = (c: ProfileOf) => {
    out.customers.push(exportCustomerOf(c));
    if (tierShop && upgradeDue(c, tierShop.program, { currency: tierShop.currency, now })) upgrades.push(c.cid);
  };
  return {
    out,
    upgrades,
    customer,
    order(o: Parameters<typeof countedOrder>[0]) {
      const counted = countedOrder(o, asOf, shop?.currency);
      if (counted) out.orders.push(counted);
    },
    nps(a: { cid: string; score: number; at: string } & LoyaltyIntent) {
      if (Date.parse(a.at) <= answersEnd) out.nps.push({ cid: a.cid, ...summaryNpsOf(a) });
    },
    /** A stored customer, order or NPS item (scanned). */
    item(i: SummarySource) {
      if (i.kind === 'customer') customer(i.customer);
      else if (i.kind === 'order') this.order(i.order);
      else this.nps(i.answer);
    },
    /** A stored summary: the same filters as for the items (purchases.ts), on its entries. */
    summary(s: CustomerSummary) {
      if (s.profile) customer({ cid: s.cid, ...(s.profile satisfies SummaryProfile) });
      for (const [orderId, o] of Object.entries(s.orders)) {
        if (!(Date.parse(o.at) < end) || (shop && o.currency !== shop.currency)) continue;
        out.orders.push({
          cid: s.cid,
          orderId,
          at: o.at,
          revenueMinor: o.revenueMinor,
          productIds: o.productIds,
          referred: o.referred,
        });
      }
      for (const a of Object.values(s.nps)) this.nps({ cid: s.cid, ...a });
    },
  };
};

type Collector = ReturnType<typeof collector>;

/** Reads the segment's summary shards (Query per shard, in parallel). */
const readSummaries = async (
  summaries: SummaryReader,
  shopId: string,
  input: StepInput & { segment: number },
  c: Collector,
) => {
  let items = 0;
  await Promise.all(
    shardsOfSegment(input.segment, input.totalSegments).map(async (shard) => {
      for await (const page of summaries.store.readShard(shopId, shard)) {
        items += page.examined;
        for (const s of page.items) c.summary(s);
      }
    }),
  );
  return items;
};

/**
 * The shop's summaries predate nothing: build them once from the filtered scan of the whole
 * table (segment by segment), and take this night's figures from that scan. The segment that
 * finishes last marks the summaries built.
 */
const backfill = async (
  deps: NightlyDeps & { summaries: SummaryReader },
  input: StepInput & { segment: number },
  c: Collector,
  now: string,
) => {
  const { store } = deps.summaries;
  let items = 0;
  for await (const page of store.scanShop(input.shopId, input.segment, input.totalSegments)) {
    items += page.examined;
    for (const item of page.items) c.item(item);
    await fillSummaries({ summaries: store }, input.shopId, page.items);
  }
  const built = await store.backfillSegmentDone(input.shopId, {
    runId: input.jobId,
    segment: input.segment,
    totalSegments: input.totalSegments,
    at: now,
  });
  if (built)
    deps.logger.info('customer summaries built from a table scan', { shopId: input.shopId, jobId: input.jobId });
  return { items, built };
};

/** Without summaries (in-memory tests): the old path, a filtered scan through the nightly store. */
const scanStore = async (deps: NightlyDeps, input: StepInput & { segment: number }, c: Collector) => {
  let items = 0;
  for await (const page of deps.store.scanShop(input.shopId, input.segment, input.totalSegments)) {
    items += page.length;
    for (const item of page) c.item(item);
  }
  return items;
};

const readSegment = async (
  deps: NightlyDeps,
  input: StepInput & { segment: number },
  c: Collector,
  now: string,
): Promise<SegmentRead> => {
  const summaries = deps.summaries;
  if (!summaries) return { items: await scanStore(deps, input, c), source: 'scan' };
  await summaries.catchUp?.();
  if (await summaries.store.builtAt(input.shopId)) {
    // 1: the marker read.
    return { items: 1 + (await readSummaries(summaries, input.shopId, input, c)), source: 'summaries' };
  }
  const { items, built } = await backfill({ ...deps, summaries }, input, c, now);
  return { items: 1 + items, source: 'scan', ...(built ? { built } : {}) };
};

/**
 * Step 1, once per segment: the shop's customers, the orders that count as of the day
 * (shared/domain/churn/purchases.ts) and the NPS answers given by then, from the shop's
 * customer summaries (segment i reads summary shards k with k % totalSegments = i; the night a
 * shop's summaries are first built, from a filtered scan of the table instead). A customer's
 * orders may sit in other segments than the customer, so nothing is grouped here.
 */
export const summarise = async (deps: NightlyDeps, input: StepInput & { segment: number }) => {
  const { shopId, jobId, segment, totalSegments } = input;
  if (!(Number.isInteger(segment) && segment >= 0 && segment < totalSegments)) {
    throw new RangeError(`Segment ${segment} is not one of 0…${totalSegments - 1}`);
  }
  // The read sees every customer once a night: the moment to move up anyone who qualifies for
  // more than they hold (only a shop lowering its thresholds does that without an order).
  // The shop is read anyway for its currency: only orders in it count as purchases.
  const shop = await deps.shops.get(shopId);
  const tierShop = deps.tiers ? shop : undefined;
  const now = deps.clock.now().toISOString();
  const job = await deps.store.getJob(shopId, jobId);
  const c = collector(shop, tierShop, input.asOf, now, answersCountedUntil(input.asOf, job?.createdAt));
  const read = await readSegment(deps, input, c, now);
  const { out, upgrades } = c;
  const files = jobFiles(shopId, jobId);
  await Promise.all([
    writeJson(deps.sink, files.summary(segment), out),
    writeJson(deps.sink, files.read(segment), read),
  ]);
  // The churn run must not fail over one busy customer: a move that cannot be made tonight is
  // found again tomorrow. (The export shows tiers as read, before these moves.)
  let tierUpgrades = 0;
  if (tierShop) {
    await forEachLimited(upgrades, 8, async (cid) => {
      try {
        if (await deps.tiers!.recheck(tierShop, cid)) tierUpgrades++;
      } catch (e) {
        deps.logger.warn('tier check failed; tried again next night', { shopId, cid, error: (e as Error)?.name });
      }
    });
  }
  return {
    step: 'summarise' as const,
    segment,
    customers: out.customers.length,
    orders: out.orders.length,
    npsAnswers: out.nps.length,
    tierUpgrades,
    read,
  };
};
