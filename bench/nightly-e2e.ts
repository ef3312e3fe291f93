/**
 * `npm run bench:nightly:e2e [-- --customers N] [--segments 4,8] [--concurrency C]`: the
 * end-to-end nightly churn-segments run against DynamoDB, for one shop of N customers
 * (default 100,000). Prints figures only: no assertions. CI does not run it.
 *
 * 1. DynamoDB Local in memory (or AWS_ENDPOINT_URL_DYNAMODB), a fresh table (infra/table.ts via
 *    local/table.ts), a shop created through the runtime's shop repository.
 * 2. Seeding: purchase histories simulated from BG/NBD + Gamma-Gamma at CDNOW-like parameters,
 *    first purchases over two years, ~10 % of orders cancelled or refunded; customer and order
 *    items written with BatchWriteItem in the ledger store's shapes (support/nightly-e2e-seed.ts).
 * 3. The table stream into the customer summaries (what the `customer-summaries` function does
 *    in AWS, off the order path): local/stream-poller.ts drains DynamoDB Local's stream through
 *    the same use case, timed on its own.
 * 4. The nightly run, in this process, as `nightly` runs it without a state machine
 *    (startNightly → runInProcess in shared/app/nightly/run.ts: summarise every segment in
 *    parallel — a Query per summary shard —, fit, score every shard in parallel, assemble), each
 *    step timed, with the items DynamoDB examined for summarise (ScannedCount plus reads by key).
 *    The export sink is the local file sink on a temp directory; the mailer is a no-op (the shop
 *    has no marketer e-mails anyway).
 *
 * `--legacy` also times summarise the old way (the filtered scan of the whole table) for comparison.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../shared/adapters/dynamo';
import { exportSinkFor } from '../shared/wiring/nightly-runtime';
import { newId } from '../shared/adapters/ids';
import { runtime, setRuntime, type Runtime } from '../shared/wiring/runtime';
import { assemble } from '../shared/app/nightly/assemble';
import { fail } from '../shared/app/nightly/fail';
import { exportKey, range } from '../shared/app/nightly/files';
import { fit } from '../shared/app/nightly/fit';
import type { Mailer } from '../shared/app/ports/mailer';
import type { NightlyDeps, NightlyJob, NightlyResult, NightlyStore } from '../shared/app/ports/nightly';
import { score } from '../shared/app/nightly/score';
import { summarise } from '../shared/app/nightly/summarise';
import { CDNOW_BGNBD_PUBLISHED, inTimeUnit } from '../shared/domain/churn/bgnbd';
import { dayNumber } from '../shared/domain/churn/summary';
import type { Shop } from '../shared/domain/shop';
import { seedShop, type SeedResult } from './support/nightly-e2e-seed';
import { fmt, heading, keyValues, table } from './support/report';
import { createBenchShop, startStack, type BenchStack } from './support/stack';
import { pollSummaryStream } from '../local/stream-poller';
import { summaryReader } from '../shared/wiring/summary-runtime';

const log = (text = '') => console.log(text);

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0) return process.argv[i + 1];
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  return eq?.slice(name.length + 3);
};
const positiveInt = (name: string, fallback: number): number => {
  const raw = argValue(name);
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive integer, not ${raw}`);
  return n;
};

const settings = {
  customers: positiveInt('customers', 100_000),
  segments: (argValue('segments') ?? '4').split(',').map((s) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new RangeError(`--segments takes integers 1…1000, not ${s}`);
    return n;
  }),
  concurrency: positiveInt('concurrency', 16),
  legacy: process.argv.includes('--legacy'),
  seed: 20_260_701,
  acquisitionDays: 730,
  truth: {
    // CDNOW's published BG/NBD (FHL 2005) with α in days, and its Gamma-Gamma in cents (as bench/nightly.ts).
    purchases: inTimeUnit(CDNOW_BGNBD_PUBLISHED, 'days'),
    spend: { p: 6.25, q: 3.74, v: 1_544 },
  },
  fates: { cancelledShare: 0.04, refundedShare: 0.04, partlyRefundedShare: 0.02 },
} as const;

const ms = (v: number) => `${fmt(v, v < 100 ? 1 : 0)} ms`;
const secs = (v: number) => `${fmt(v / 1000, 2)} s`;
const mb = (bytes: number) => `${fmt(bytes / 1_048_576, 2)} MB`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const timed = async <T>(f: () => Promise<T>): Promise<T & { ms: number }> => {
  const start = performance.now();
  const value = await f();
  return { ...value, ms: performance.now() - start };
};

const noMailer: Mailer = { send: () => Promise.resolve({}) };

interface Counters {
  scanned: number[];
  segmentWrites: number;
  moves: number;
}

/** The runtime's nightly store, counting what the scan yields and what is written. */
const countingStore = (base: NightlyStore, c: Counters): NightlyStore => ({
  ...base,
  async *scanShop(shopId, segment, totalSegments) {
    for await (const page of base.scanShop(shopId, segment, totalSegments)) {
      c.scanned[segment] = (c.scanned[segment] ?? 0) + page.length;
      yield page;
    }
  },
  async writeSegments(shopId, writes) {
    c.segmentWrites += writes.length;
    c.moves += writes.filter((w) => w.event).length;
    await base.writeSegments(shopId, writes);
  },
});

interface RunReport {
  totalSegments: number;
  job: NightlyJob;
  summarise: {
    segment: number;
    customers: number;
    orders: number;
    npsAnswers: number;
    ms: number;
    read: { items: number; source: string };
  }[];
  summariseMs: number;
  fit: { customers: number; fallback: boolean; ms: number };
  score: { segment: number; customers: number; transitions: number; ms: number }[];
  scoreMs: number;
  assembleMs: number;
  totalMs: number;
  counters: Counters;
  csvBytes: number;
  jsonBytes: number;
  heapMb: number;
}

/** startNightly + runInProcess (shared/app/nightly/run.ts) with a clock around every step. */
const runNightly = async (
  rt: Runtime,
  shop: Shop,
  asOf: string,
  totalSegments: number,
  o: { legacy?: boolean } = {},
): Promise<RunReport> => {
  const counters: Counters = { scanned: range(totalSegments).map(() => 0), segmentWrites: 0, moves: 0 };
  const deps: NightlyDeps = {
    store: countingStore(rt.nightly, counters),
    sink: exportSinkFor(rt),
    mailer: noMailer,
    shops: rt.shops,
    clock: rt.clock,
    logger: rt.logger,
    newId,
    // The customer summaries, as nightlyDeps wires them; --legacy: without, so summarise scans the table.
    ...(o.legacy ? {} : { summaries: summaryReader(rt) }),
  };
  const jobId = newId();
  const start = performance.now();
  const at = deps.clock.now().toISOString();
  const created = await deps.store.createJob({
    shopId: shop.id,
    jobId,
    asOf,
    totalSegments,
    trigger: 'api',
    status: 'running',
    createdAt: at,
    updatedAt: at,
  });
  if (!created) throw new Error(`Job ${jobId} exists`);
  const run = { shopId: shop.id, jobId, asOf, totalSegments };

  let phase = performance.now();
  const summarised = await Promise.all(
    range(totalSegments).map((segment) => timed(() => summarise(deps, { ...run, segment }))),
  );
  const summariseMs = performance.now() - phase;
  const fitted = await timed(() => fit(deps, run));
  phase = performance.now();
  const scored = await Promise.all(fitted.shards.map((segment) => timed(() => score(deps, { ...run, segment }))));
  const scoreMs = performance.now() - phase;
  const assembled = await timed(() => assemble(deps, run)).catch(async (e: unknown) => {
    await fail(deps, { ...run, error: e });
    throw e;
  });
  const job = await deps.store.getJob(shop.id, jobId);
  const totalMs = performance.now() - start;
  if (!job) throw new Error(`Job ${jobId} vanished`);

  const csv = (await deps.sink.get(exportKey(shop.id, asOf, 'csv'))) ?? '';
  const json = (await deps.sink.get(exportKey(shop.id, asOf, 'json'))) ?? '';
  return {
    totalSegments,
    job,
    summarise: summarised.map((s) => ({
      segment: s.segment,
      customers: s.customers,
      orders: s.orders,
      npsAnswers: s.npsAnswers,
      ms: s.ms,
      read: s.read,
    })),
    summariseMs,
    fit: { customers: fitted.customers, fallback: fitted.fallback, ms: fitted.ms },
    score: scored.map((s) => ({ segment: s.segment, customers: s.customers, transitions: s.transitions, ms: s.ms })),
    scoreMs,
    assembleMs: assembled.ms,
    totalMs,
    counters,
    csvBytes: Buffer.byteLength(csv),
    jsonBytes: Buffer.byteLength(json),
    heapMb: process.memoryUsage().rss / 1_048_576,
  };
};

const printEnvironment = (stack: BenchStack, dataDir: string, shop: Shop, asOf: string) => {
  const cpu = cpus();
  log(heading('Boomerang nightly end-to-end benchmark (npm run bench:nightly:e2e)'));
  log(
    keyValues([
      ['date', new Date().toISOString()],
      ['node', `${process.version} (${process.platform}/${process.arch})`],
      ['CPUs', `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}; ${fmt(totalmem() / 1_073_741_824, 1)} GB RAM`],
      ['load average at start', `${load()} (1 / 5 / 15 min)`],
      ['DynamoDB', stack.dynamoDescription],
      ['table', `${stack.tableName} (fresh, from infra/table.ts: on-demand, gsi1 + gsi2 KEYS_ONLY)`],
      [
        'shop',
        `${shop.id} (${shop.currency}, default program, created with newShop + issueShopApiKey through the shop repository)`,
      ],
      ['export sink', `files under ${join(dataDir, 'exports')} (temp dir, removed at the end); mailer: no-op`],
      ['as of', `${asOf} (yesterday, UTC)`],
      [
        'customers',
        `${fmt(settings.customers)}; first purchases uniform over ${settings.acquisitionDays} days before the as-of day; seed ${settings.seed}`,
      ],
      [
        'truth (BG/NBD, days)',
        `r ${settings.truth.purchases.r}, α ${fmt(settings.truth.purchases.alpha, 3)}, a ${settings.truth.purchases.a}, b ${settings.truth.purchases.b} (CDNOW, FHL 2005)`,
      ],
      [
        'truth (Gamma-Gamma, cents)',
        `p ${settings.truth.spend.p}, q ${settings.truth.spend.q}, γ ${settings.truth.spend.v} (CDNOW)`,
      ],
      [
        'order fates',
        `${settings.fates.cancelledShare * 100} % cancelled after payment, ${settings.fates.refundedShare * 100} % refunded in full, ${settings.fates.partlyRefundedShare * 100} % refunded in part (one line; orders of 2+ lines)`,
      ],
      ['segments (BOOMERANG_NIGHTLY_SEGMENTS)', settings.segments.join(', ')],
    ]),
  );
};

const printSeed = (s: SeedResult) => {
  log(heading('1. Seeding (BatchWriteItem, 25 items a call)'));
  log(
    keyValues([
      ['customers', `${fmt(s.customers)} customer items`],
      [
        'orders',
        `${fmt(s.orders)} order items (${fmt(s.orders / Math.max(1, s.customers), 2)} per customer): ${fmt(s.cancelled)} cancelled, ${fmt(s.refunded)} refunded in full, ${fmt(s.partlyRefunded)} refunded in part`,
      ],
      [
        'items written',
        `${fmt(s.items)} in ${fmt(s.batchCalls)} BatchWriteItem calls (${settings.concurrency} in flight), ${fmt(s.retriedItems)} unprocessed items retried`,
      ],
      [
        'wall time',
        `${secs(s.wallMs)} — ${fmt(s.items / (s.wallMs / 1000))} items/s (of which simulating and building items on this thread: ${secs(s.buildMs)})`,
      ],
    ]),
  );
};

const printRun = (r: RunReport, seeded: SeedResult) => {
  log(heading(`3. Nightly run, BOOMERANG_NIGHTLY_SEGMENTS = ${r.totalSegments} (job ${r.job.jobId}: ${r.job.status})`));
  if (r.job.status !== 'succeeded') log(`error: ${JSON.stringify(r.job.error)}`);
  const rows: string[][] = [];
  for (const s of r.summarise)
    rows.push([
      `summarise segment ${s.segment}`,
      ms(s.ms),
      `${fmt(s.read.items)} items examined (${s.read.source}) → ${fmt(s.customers)} customers, ${fmt(s.orders)} counted orders, ${fmt(s.npsAnswers)} NPS`,
    ]);
  rows.push([
    'summarise (all, in parallel)',
    ms(r.summariseMs),
    `${fmt(r.summarise.reduce((n, s) => n + s.read.items, 0))} items examined; the table holds ${fmt(seeded.items)} seeded items + ${fmt(seeded.customers)} summaries + shop and job items (+ segment items after a first run)`,
  ]);
  rows.push(['fit', ms(r.fit.ms), `${fmt(r.fit.customers)} buyers fitted${r.fit.fallback ? ' (FALLBACK)' : ''}`]);
  for (const s of r.score)
    rows.push([`score shard ${s.segment}`, ms(s.ms), `${fmt(s.customers)} scored, ${fmt(s.transitions)} moves`]);
  rows.push([
    'score (all, in parallel)',
    ms(r.scoreMs),
    `${fmt(r.counters.segmentWrites)} segment writes (${fmt(r.counters.moves)} with an event, in transactions)`,
  ]);
  rows.push(['assemble', ms(r.assembleMs), `CSV ${mb(r.csvBytes)}, JSON ${mb(r.jsonBytes)}`]);
  rows.push([
    'total (createJob … getJob)',
    ms(r.totalMs),
    `${fmt(seeded.customers / (r.totalMs / 1000))} customers/s end to end`,
  ]);
  log(table(['step', 'wall', 'what'], rows, ['l', 'r', 'l']));

  const result: NightlyResult | undefined = r.job.result;
  if (!result) return;
  const m = result.model;
  const t = settings.truth;
  log('');
  log(
    keyValues([
      ['customers scored', fmt(m.customers)],
      [
        'segment writes',
        `${fmt(r.counters.segmentWrites)} (${fmt(r.counters.moves)} moves with a segment_changed event)`,
      ],
      [
        'export CSV',
        `${fmt(r.csvBytes)} bytes (${mb(r.csvBytes)}), ${fmt(result.segments ? Object.values(result.segments).reduce((a, b) => a + b, 0) : 0)} rows + header`,
      ],
      ['export JSON', `${fmt(r.jsonBytes)} bytes (${mb(r.jsonBytes)})`],
      [
        'BG/NBD (days)',
        `r ${fmt(m.bgnbd.r, 4)}, α ${fmt(m.bgnbd.alpha, 3)}, a ${fmt(m.bgnbd.a, 4)}, b ${fmt(m.bgnbd.b, 4)}, LL ${fmt(m.bgnbd.logLikelihood, 1)}  (truth r ${t.purchases.r}, α ${fmt(t.purchases.alpha, 3)}, a ${t.purchases.a}, b ${t.purchases.b})`,
      ],
      [
        'Gamma-Gamma (cents)',
        `p ${fmt(m.gammaGamma.p, 4)}, q ${fmt(m.gammaGamma.q, 4)}, γ ${fmt(m.gammaGamma.v, 1)}  (truth p ${t.spend.p}, q ${t.spend.q}, γ ${t.spend.v})`,
      ],
      ['fallback', m.fallback ? JSON.stringify(m.fallback) : 'none'],
      [
        'metrics',
        `${fmt(result.metrics.customers)} customers, ${fmt(result.metrics.buyers)} buyers, repeat purchase rate ${fmt(result.metrics.repeatPurchaseRate, 4)}, revenue ${fmt(result.metrics.revenueMinor / 100, 2)} (currency units)`,
      ],
      ['process RSS after run', `${fmt(r.heapMb)} MB`],
    ]),
  );
  log('');
  log(
    table(
      ['segment', 'customers', 'share'],
      Object.entries(result.segments).map(([name, n]) => [
        name,
        fmt(n),
        `${fmt((100 * n) / Math.max(1, m.customers), 1)} %`,
      ]),
      ['l', 'r', 'r'],
    ),
  );
};

const main = async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'boomerang-nightly-e2e-'));
  process.env.BOOMERANG_DATA_DIR = dataDir;
  process.env.BOOMERANG_NIGHTLY_SEGMENTS = String(settings.segments[0]);
  const stack = await startStack();
  const stop = () => {
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  let rt: Runtime | undefined;
  let seedDb: DynamoDBDocumentClient | undefined;
  try {
    rt = runtime();
    seedDb = createDocumentClient();
    const { shop } = await createBenchShop();
    const now = new Date();
    const asOf = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
    printEnvironment(stack, dataDir, shop, asOf);

    const seeded = await seedShop(seedDb, rt.tableName, shop, {
      customers: settings.customers,
      seed: settings.seed,
      acquisitionDays: settings.acquisitionDays,
      asOfDay: dayNumber(asOf),
      truth: settings.truth,
      ...settings.fates,
      concurrency: settings.concurrency,
      now,
    });
    printSeed(seeded);

    // The stream into the summaries (in AWS: the customer-summaries function, as orders come in).
    const summaries = pollSummaryStream(rt.tableName);
    const drainStart = performance.now();
    const records = await summaries.poller.drain();
    const drainMs = performance.now() - drainStart;
    log(heading('2. Table stream → customer summaries (local/stream-poller.ts, the customer-summaries use case)'));
    log(
      keyValues([
        ['stream records', `${fmt(records)} (customer and order inserts; other item types are skipped)`],
        ['summaries', `${fmt(seeded.customers)} summary items in 16 shards (one UpdateItem per customer and batch)`],
        ['wall time', `${secs(drainMs)} — ${fmt(records / (drainMs / 1000))} records/s (off the nightly run, async)`],
      ]),
    );

    for (const [i, totalSegments] of settings.segments.entries()) {
      process.env.BOOMERANG_NIGHTLY_SEGMENTS = String(totalSegments);
      const report = await runNightly(rt, shop, asOf, totalSegments);
      printRun(report, seeded);
      if (i > 0)
        log(
          `\n(run ${i + 1} of the same day: every customer already has a segment item from run 1, so score reads and rewrites them)`,
        );
    }
    if (settings.legacy) {
      const report = await runNightly(rt, shop, asOf, settings.segments[0]!, { legacy: true });
      log('\n(--legacy: the same run with summarise scanning the whole table, filtered, as before the summaries)');
      printRun(report, seeded);
    }
    summaries.stop();
    log(`\nload average at end: ${load()}`);
  } finally {
    seedDb?.destroy();
    setRuntime(undefined);
    process.off('SIGINT', stop);
    await stack.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
