/**
 * `npm run bench:orders`: what a Shopify order costs Boomerang in DynamoDB capacity, and how
 * fast the webhook endpoint answers under concurrent deliveries. Prints figures only: no
 * assertions, and a missed goal is reported, not failed.
 *
 * 1. Capacity: Shopify `orders/paid` webhooks, one at a time, through the local API gateway
 *    and the real webhook handler; every DynamoDB call is observed (see support/observer.ts).
 * 2. Load: 20 concurrent senders against the same stack, after a warm-up.
 */
import { cpus } from 'node:os';
import { relative } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/adapters/dynamo';
import { dynamoLedgerStore } from '../shared/adapters/ledger-store';
import { createRuntime, runtime, setRuntime } from '../shared/wiring/runtime';
import { bumped } from '../shared/domain/versioned';
import { dynamoShopStore } from '../shared/adapters/shop-store';
import { sdkTable } from '../shared/adapters/table-sdk';
import { measure, type OrderSize, type Sample, type Scenario } from './support/capacity';
import { printCapacity } from './support/capacity-report';
import {
  planDeliveries,
  runLoad,
  seededRandom,
  type LoadResult,
  type PlannedDelivery,
  type Sequences,
} from './support/load';
import { createMeter, type Meter } from './support/observer';
import { fmt, heading, keyValues, percentile, table } from './support/report';
import {
  buyer,
  loadSample,
  shopifyOrderFactory,
  type Delivery,
  type ShopifyOrderFactory,
} from './support/shopify-orders';
import { createBenchShop, startStack, type BenchStack } from './support/stack';

const settings = {
  /** Orders per capacity scenario; the median is reported. */
  capacityOrders: 50,
  load: {
    concurrency: 20,
    warmupRequests: 200,
    requests: 2_000,
    warmupTimeCapMs: 60_000,
    timeCapMs: 180_000,
    requestTimeoutMs: 30_000,
    mix: { duplicateShare: 0.1, repeatShare: 0.5, duplicateGap: 40 },
    seed: 20_260_701,
  },
  // 9: the order's transaction (8) + the webhook body binding (1, docs/webhooks.md), which a
  // duplicate also pays for instead of a read.
  goals: { newOrderWrites: 9, duplicateTotal: 2 },
} as const;

const log = (text = '') => console.log(text);

// ── capacity ────────────────────────────────────────────────────────────────────────────

/**
 * The runtime the handlers use while measuring: the real ledger store and shop repository,
 * on a document client the meter observes, with ReturnConsumedCapacity turned on.
 */
const installMeasuredRuntime = (stack: BenchStack): { meter: Meter; sdk: DynamoDBDocumentClient } => {
  const meter = createMeter(stack.client, stack.tableName);
  const sdk = createDocumentClient();
  const table = sdkTable(meter.observe(sdk));
  const rt = createRuntime(process.env, { table });
  setRuntime({
    ...rt,
    ledger: dynamoLedgerStore(table, stack.tableName, { onCapacity: meter.onCapacity }),
    shops: meter.countShopReads(dynamoShopStore(table, stack.tableName)),
  });
  return { meter, sdk };
};

const runCapacityScenarios = async (stack: BenchStack, url: string, factory: ShopifyOrderFactory, seq: Sequences) => {
  const { meter, sdk } = installMeasuredRuntime(stack);
  const n = settings.capacityOrders;
  const sendAll = async (deliveries: Delivery[]) => {
    const samples: Sample[] = [];
    for (const d of deliveries) samples.push(await measure(url, meter, d));
    return samples;
  };

  const firstOrders = Array.from({ length: n }, () => {
    const who = buyer(seq.buyer++);
    seq.known.push(who);
    return factory.paidOrder(seq.order++, who);
  });
  const a = await sendAll(firstOrders);
  const b = await sendAll(firstOrders.map((d) => factory.paidOrder(seq.order++, d.buyer)));
  const c = await sendAll(firstOrders);
  const byLines = await orderSizeByLines(url, meter, factory, seq);
  sdk.destroy();

  const scenarios: Scenario[] = [
    {
      label: 'a) new paid order, new customer',
      samples: a,
      goal: {
        text: `writes ≤ ${settings.goals.newOrderWrites}`,
        value: (f) => f.writesModelled,
        limit: settings.goals.newOrderWrites,
      },
    },
    { label: 'b) repeat paid order, known customer', samples: b },
    {
      label: 'c) duplicate delivery of (a)',
      samples: c,
      goal: {
        text: `reads + writes ≤ ${settings.goals.duplicateTotal}`,
        value: (f) => f.readsModelled + f.writesModelled,
        limit: settings.goals.duplicateTotal,
      },
    },
  ];
  return { scenarios, byLines };
};

/**
 * The order item grows with the order's line items: send one more new order per line count
 * (the sample's first n lines) and note the stored order item's size and table write units.
 */
const orderSizeByLines = async (
  url: string,
  meter: Meter,
  factory: ShopifyOrderFactory,
  seq: Sequences,
): Promise<OrderSize[]> => {
  const out: OrderSize[] = [];
  for (let lines = 1; lines <= factory.lineCount; lines++) {
    const who = buyer(seq.buyer++);
    seq.known.push(who);
    const sample = await measure(url, meter, factory.forLines(lines).paidOrder(seq.order++, who));
    const order = sample.cost.transactions.flatMap((t) => t.items).find((it) => it.kind === 'order');
    if (order) out.push({ lines, bytes: order.bytes, tableUnits: order.tableUnits });
  }
  return out;
};

// ── load ────────────────────────────────────────────────────────────────────────────────

const planLoad = (factory: ShopifyOrderFactory, seq: Sequences, count: number, seed: number): PlannedDelivery[] =>
  planDeliveries(factory, count, seq, settings.load.mix, seededRandom(seed));

const runLoadPhase = async (url: string, factory: ShopifyOrderFactory, seq: Sequences) => {
  // A plain runtime: no observer, no ReturnConsumedCapacity, the table client Lambda runs.
  setRuntime(createRuntime(process.env));
  const { concurrency, requestTimeoutMs } = settings.load;
  // Plans are built (and signed) up front so the senders measure the server, not JSON.stringify.
  const warmupPlan = planLoad(factory, seq, settings.load.warmupRequests, settings.load.seed);
  const warmup = await runLoad(url, warmupPlan, {
    concurrency,
    requestTimeoutMs,
    timeCapMs: settings.load.warmupTimeCapMs,
  });
  const plan = planLoad(factory, seq, settings.load.requests, settings.load.seed + 1);
  const measured = await runLoad(url, plan, { concurrency, requestTimeoutMs, timeCapMs: settings.load.timeCapMs });
  return { warmup, plan, measured };
};

const countKinds = (plan: PlannedDelivery[]) => {
  const counts: Record<string, number> = {};
  for (const p of plan) counts[p.kind] = (counts[p.kind] ?? 0) + 1;
  return counts;
};

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${fmt(v)} ${k}`)
    .join(', ') || 'none';

const printLoad = ({
  warmup,
  plan,
  measured,
}: {
  warmup: LoadResult;
  plan: PlannedDelivery[];
  measured: LoadResult;
}) => {
  const l = settings.load;
  log(
    heading(
      `2. Webhook latency and throughput: ${l.concurrency} concurrent senders (fetch, keep-alive), DynamoDB as above`,
    ),
  );
  log(
    `warm-up (excluded): ${fmt(warmup.sent)} requests, ${fmt(warmup.ok)} × 200, errors: ${describeCounts(warmup.errors)}, ${fmt(warmup.wallMs / 1000, 1)} s`,
  );
  const sentKinds = countKinds(plan.slice(0, measured.sent));
  log(`measured mix: ${describeCounts(sentKinds)}`);
  const errors = Object.values(measured.errors).reduce((a, b) => a + b, 0);
  const lat = measured.latenciesMs;
  log(
    table(
      ['requests', 'errors (non-200)', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s', 'wall s'],
      [
        [
          fmt(measured.sent),
          fmt(errors),
          fmt(percentile(lat, 50), 1),
          fmt(percentile(lat, 90), 1),
          fmt(percentile(lat, 99), 1),
          fmt(percentile(lat, 100), 1),
          fmt(measured.sent / (measured.wallMs / 1000), 1),
          fmt(measured.wallMs / 1000, 1),
        ],
      ],
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  log(`answers: ${describeCounts(measured.outcomes)}${errors ? `; errors: ${describeCounts(measured.errors)}` : ''}`);
  if (measured.hitTimeCap)
    log(
      `stopped by the ${l.timeCapMs / 1000} s time cap after ${fmt(measured.sent)} of ${fmt(measured.planned)} requests`,
    );
};

// ── environment and main ────────────────────────────────────────────────────────────────

const printEnvironment = (stack: BenchStack, samplePath: string, sampleBytes: number) => {
  const cpu = cpus();
  log(heading('Boomerang order benchmark (npm run bench:orders)'));
  log(
    keyValues([
      ['date', new Date().toISOString()],
      ['node', `${process.version} (${process.platform}/${process.arch})`],
      ['CPUs', `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`],
      ['DynamoDB', stack.dynamoDescription],
      ['table', `${stack.tableName} (fresh, from infra/table.ts: on-demand, gsi1 + gsi2 KEYS_ONLY)`],
      ['gateway', `${stack.baseUrl} (local/gateway.ts in this process → functions/webhooks/handler.ts)`],
      [
        'payload',
        `${relative(process.cwd(), samplePath) || samplePath} as orders/paid, ~${fmt(sampleBytes)} bytes each`,
      ],
    ]),
  );
};

const main = async () => {
  const stack = await startStack();
  const stop = () => {
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  try {
    // Tiers above what the scenarios' orders reach, so every repeat order is an ordinary one.
    // An order that crosses a tier also writes its tier-up e-mail (outbox item, 2 WCU + 1 for
    // its queue entry) and a tier history line (2 WCU): 5 WCU more, once per tier reached.
    const { shop, webhookSecret } = await createBenchShop({
      tiers: {
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: 0 },
          { id: 'silver', name: 'Silver', threshold: 50_000 },
          { id: 'gold', name: 'Gold', threshold: 150_000 },
        ],
      },
    });
    // BENCH_OUTGOING_EVENTS=points.earned (comma-separated): the shop as if an endpoint listened
    // to those outgoing webhook events, to see what they add to the order path.
    const outgoing = process.env.BENCH_OUTGOING_EVENTS?.split(',').filter(Boolean);
    if (outgoing?.length) {
      const write = bumped(shop, { outgoingEvents: outgoing });
      await runtime().shops.replace(write.next, write.expectedVersion);
      log(`outgoing webhook events subscribed: ${outgoing.join(', ')}`);
    }
    const sample = loadSample();
    const factory = shopifyOrderFactory(sample.template, shop.id, webhookSecret);
    const url = `${stack.baseUrl}/webhooks/shopify/${shop.id}`;
    const seq: Sequences = { order: 0, buyer: 0, known: [] };
    printEnvironment(stack, sample.path, factory.paidOrder(0, buyer(0)).body.length);

    const { scenarios, byLines } = await runCapacityScenarios(stack, url, factory, seq);
    printCapacity(scenarios, byLines, settings.capacityOrders);
    printLoad(await runLoadPhase(url, factory, seq));
  } finally {
    setRuntime(undefined);
    process.off('SIGINT', stop);
    await stack.close();
  }
};

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
