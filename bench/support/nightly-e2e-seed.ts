/**
 * Seeds a shop's ledger for the end-to-end nightly bench (bench/nightly-e2e.ts): customers
 * simulated from BG/NBD + Gamma-Gamma (shared/domain/churn/simulate.ts), written straight to
 * DynamoDB with BatchWriteItem as the customer and order items the ledger store writes.
 *
 * `orderItem` and `customerItem` are not exported by shared/adapters/ledger-store.ts, so the
 * two builders below copy their shape: same keys (shared/adapters/keys.ts), `itemType`, the
 * record spread, lines stored as `[netMinor, productId, sku, lineId]` tuples and the earning
 * rule without its empty lists (order items carry no `shopId`; customer items do, with the wake
 * and e-mail GSI keys). Keep them in step with ledger-store.ts.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BgNbdParameters } from '../../shared/domain/churn/bgnbd';
import type { GammaGammaParameters } from '../../shared/domain/churn/gamma-gamma';
import { seededRandom, simulateCustomer, type Random } from '../../shared/domain/churn/simulate';
import { emailHash } from '../../shared/domain/customers/identity';
import { newCustomer, type CustomerRecord } from '../../shared/domain/ledger/customer';
import { computeEarning, type EarnableLine } from '../../shared/domain/ledger/earning';
import { entitlement, type OrderRecord } from '../../shared/domain/ledger/order-record';
import type { Shop } from '../../shared/domain/shop';
import { customerItem, orderItem } from '../../shared/adapters/ledger-store';

type Item = Record<string, unknown>;
/** The stored shapes come from the ledger store itself, so the seed cannot drift from them. */
export { customerItem, orderItem };

export interface SeedOptions {
  customers: number;
  seed: number;
  /** First purchases uniform over this many days before the as-of day. */
  acquisitionDays: number;
  asOfDay: number;
  truth: { purchases: BgNbdParameters; spend: GammaGammaParameters };
  /** Shares of orders cancelled (after payment), refunded in full, refunded in part. */
  cancelledShare: number;
  refundedShare: number;
  partlyRefundedShare: number;
  /** BatchWriteItem calls in flight. */
  concurrency: number;
  now: Date;
}

export interface SeedResult {
  customers: number;
  orders: number;
  cancelled: number;
  refunded: number;
  partlyRefunded: number;
  items: number;
  batchCalls: number;
  retriedItems: number;
  wallMs: number;
  /** Time spent simulating and building items on this thread (inside the wall time). */
  buildMs: number;
}

const dayMs = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const catalogue = 400;

/** Splits an order's value over 1–3 lines of a small catalogue. */
const linesFor = (random: Random, orderNo: number, amountMinor: number): EarnableLine[] => {
  const n = Math.min(amountMinor, 1 + Math.floor(random() * 3));
  const lines: EarnableLine[] = [];
  let left = amountMinor;
  for (let k = 0; k < n; k++) {
    const net =
      k === n - 1 ? left : Math.max(1, Math.min(left - (n - k - 1), Math.floor(left * (0.3 + 0.4 * random()))));
    left -= net;
    const product = 1 + Math.floor(random() ** 2 * catalogue);
    lines.push({
      lineId: `${orderNo}${k}`,
      productId: `gid://shopify/Product/${7_000_000 + product}`,
      sku: `SKU-${product}`,
      netMinor: net,
    });
  }
  return lines;
};

/** Builds one customer's items (profile + orders) from a simulated purchase history. */
const customerItems = (
  shop: Shop,
  random: Random,
  i: number,
  o: SeedOptions,
  counters: SeedResult,
  nextOrder: () => number,
): Item[] => {
  const program = shop.program;
  const firstDay = o.asOfDay - Math.floor(random() * o.acquisitionDays);
  const sim = simulateCustomer(random, o.truth, firstDay, o.asOfDay);
  const platformId = String(9_000_000_000 + i);
  const cid = `i.${platformId}`;
  const email = `customer${i}@bench.example.com`;
  const nowIso = o.now.toISOString();
  let customer: CustomerRecord = {
    ...newCustomer(cid, ''),
    platformCustomerId: platformId,
    email,
    emailHash: emailHash(email),
    firstName: 'Bench',
    lastName: `Customer ${i}`,
    acceptsMarketing: random() < 0.6,
    locale: 'en-US',
  };
  const items: Item[] = [];
  let firstOrder = true;
  for (const p of sim.purchases) {
    const orderNo = nextOrder();
    const createdMs = p.day * dayMs + Math.floor(random() * dayMs);
    if (createdMs > o.now.getTime()) continue;
    const createdAt = iso(createdMs);
    const paidAt = iso(createdMs + 1_000 + Math.floor(random() * 60_000));
    const lines = linesFor(random, orderNo, p.amountMinor);
    const shippingMinor = p.amountMinor >= 5_000 ? 0 : 499;
    const taxMinor = Math.round(p.amountMinor * 0.08);
    const totalMinor = p.amountMinor + shippingMinor + taxMinor;
    const earnedAt = new Date(paidAt).toISOString();
    const confirmDueAt = iso(Date.parse(earnedAt) + program.returnWindowDays * dayMs);
    const u = random();
    const fate =
      u < o.cancelledShare
        ? 'cancelled'
        : u < o.cancelledShare + o.refundedShare
          ? 'refunded'
          : u < o.cancelledShare + o.refundedShare + o.partlyRefundedShare
            ? 'partly'
            : 'paid';
    const laterMs = Math.min(o.now.getTime(), createdMs + (1 + Math.floor(random() * 20)) * dayMs);
    let record: OrderRecord = {
      orderId: String(6_000_000_000 + orderNo),
      cid,
      state: {
        currency: shop.currency,
        createdAt,
        updatedAt: paidAt,
        financialStatus: 'paid',
        test: false,
        lines,
        shippingMinor,
        totalMinor,
      },
      paidAt,
      refunds: {},
      earn: { rule: program.earning, firstOrder, earnedAt, confirmDueAt },
      awarded: { points: 0, credit: 0 },
      confirmed: false,
      version: 1,
    };
    if (fate === 'cancelled') {
      counters.cancelled++;
      record = {
        ...record,
        cancelledAt: iso(laterMs),
        state: { ...record.state!, financialStatus: 'refunded', updatedAt: iso(laterMs) },
        refunds: {
          [`r${orderNo}`]: { amountMinor: totalMinor, itemsNetMinor: p.amountMinor, createdAt: iso(laterMs) },
        },
        version: 2,
      };
    } else if (fate === 'refunded') {
      counters.refunded++;
      record = {
        ...record,
        state: { ...record.state!, financialStatus: 'refunded', updatedAt: iso(laterMs) },
        refunds: {
          [`r${orderNo}`]: {
            amountMinor: totalMinor,
            itemsNetMinor: p.amountMinor,
            createdAt: iso(laterMs),
            lines: lines.map((l) => ({ lineId: l.lineId!, netMinor: l.netMinor })),
          },
        },
        version: 2,
      };
    } else if (fate === 'partly' && lines.length > 1) {
      counters.partlyRefunded++;
      const l = lines[0]!;
      record = {
        ...record,
        state: { ...record.state!, financialStatus: 'partially_refunded', updatedAt: iso(laterMs) },
        refunds: {
          [`r${orderNo}`]: {
            amountMinor: l.netMinor,
            itemsNetMinor: l.netMinor,
            createdAt: iso(laterMs),
            lines: [{ lineId: l.lineId!, netMinor: l.netMinor }],
          },
        },
        version: 2,
      };
    }
    // What the ledger would hold for it now: pending inside the return window, else confirmed.
    const awarded = entitlement(record);
    const confirmed = confirmDueAt <= nowIso;
    record = { ...record, awarded, confirmed };
    const full = computeEarning(record.state!, program.earning, { firstOrder });
    const bucket = confirmed ? 'available' : 'pending';
    customer = {
      ...customer,
      createdAt: customer.createdAt || createdAt,
      updatedAt: record.state!.updatedAt > customer.updatedAt ? record.state!.updatedAt : customer.updatedAt,
      lastActivityAt: earnedAt,
      points: {
        ...customer.points,
        [bucket]: customer.points[bucket] + awarded.points,
        lifetimeEarned: customer.points.lifetimeEarned + full.points + full.bonusPoints,
      },
      credit: { ...customer.credit, [bucket]: customer.credit[bucket] + awarded.credit },
      earnedOrders: customer.earnedOrders + 1,
      pendingOrders: confirmed ? customer.pendingOrders : { ...customer.pendingOrders, [record.orderId]: confirmDueAt },
      version: customer.version + 1,
    };
    firstOrder = false;
    counters.orders++;
    items.push(orderItem(shop.id, record));
  }
  if (!customer.createdAt) return items;
  items.push(customerItem(shop.id, customer, program));
  counters.customers++;
  return items;
};

/** Seeds the shop: items are generated as they are written, 25 per call, `concurrency` calls in flight. */
export const seedShop = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  shop: Shop,
  o: SeedOptions,
): Promise<SeedResult> => {
  const r: SeedResult = {
    customers: 0,
    orders: 0,
    cancelled: 0,
    refunded: 0,
    partlyRefunded: 0,
    items: 0,
    batchCalls: 0,
    retriedItems: 0,
    wallMs: 0,
    buildMs: 0,
  };
  const random = seededRandom(o.seed);
  let orderNo = 0;
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();

  const write = async (batch: Item[]) => {
    let requests = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; requests.length; attempt++) {
      r.batchCalls++;
      const out = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
      requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      if (requests.length) {
        r.retriedItems += requests.length;
        await sleep(Math.min(1_000, 50 * 2 ** attempt));
      }
    }
    r.items += batch.length;
  };
  const submit = async (batch: Item[]) => {
    while (inFlight.size >= o.concurrency) await Promise.race(inFlight);
    const p: Promise<void> = write(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let pending: Item[] = [];
  for (let i = 0; i < o.customers; i++) {
    const t = performance.now();
    const items = customerItems(shop, random, i, o, r, () => orderNo++);
    r.buildMs += performance.now() - t;
    for (const item of items) {
      pending.push(item);
      if (pending.length === 25) {
        await submit(pending);
        pending = [];
      }
    }
  }
  if (pending.length) await submit(pending);
  await Promise.all(inFlight);
  r.wallMs = performance.now() - start;
  return r;
};
