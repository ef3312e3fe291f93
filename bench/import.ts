/**
 * `npm run bench:import`: 100,000 historical orders imported through the real import job
 * (custom-jsonl, the bulk path of docs/import.md) against DynamoDB Local. Customers follow the
 * BG/NBD and Gamma-Gamma processes with CDNOW's published parameters over 78 weeks, so repeat
 * rates are realistic (about three orders per customer, most buying once). Prints figures only:
 * no assertions; a missed goal is reported, not failed.
 */
import { cpus } from 'node:os';
import { runImport, startImport, type ImportDeps } from '../shared/app/import-service';
import type { ImportStore } from '../shared/app/ports/imports';
import { CDNOW_BGNBD_PUBLISHED } from '../shared/domain/churn/bgnbd';
import { CDNOW_GAMMA_GAMMA_PUBLISHED_USD } from '../shared/domain/churn/gamma-gamma';
import { simulateCustomer } from '../shared/domain/churn/simulate';
import { batchItems } from '../shared/domain/imports/history';
import { formatMinor } from '../shared/domain/money/decimal';
import { importDeps } from '../shared/wiring/import-runtime';
import { runtime } from '../shared/wiring/runtime';
import { seededRandom } from './support/load';
import { fmt, heading, keyValues } from './support/report';
import { createBenchShop, startStack } from './support/stack';

const settings = {
  orders: Number(process.env.BENCH_IMPORT_ORDERS ?? 100_000),
  days: 546,
  seed: 20_261_204,
  goalSeconds: 120,
} as const;

const log = (text = '') => console.log(text);
const DAY_MS = 86_400_000;

/** The history file: one signed-format `order.paid` body per line, in time order as a platform export is. */
const historyFile = (orders: number): { text: string; customers: number } => {
  const random = seededRandom(settings.seed);
  const start = Date.parse('2025-01-01T00:00:00Z');
  const spend = { ...CDNOW_GAMMA_GAMMA_PUBLISHED_USD, v: CDNOW_GAMMA_GAMMA_PUBLISHED_USD.v * 100 };
  const rows: { at: number; line: string }[] = [];
  let customers = 0;
  while (rows.length < orders) {
    const n = ++customers;
    // CDNOW's cohort joined within its first 12 weeks; here customers join across the first half.
    const firstDay = Math.floor(random() * (settings.days / 2));
    const sim = simulateCustomer(random, { purchases: CDNOW_BGNBD_PUBLISHED, spend }, firstDay, settings.days - 1);
    sim.purchases.forEach((p, k) => {
      if (rows.length >= orders) return;
      const at = new Date(start + p.day * DAY_MS + Math.floor(random() * DAY_MS)).toISOString();
      const cents = Math.max(100, p.amountMinor);
      const id = `b${n}-${k + 1}`;
      rows.push({
        at: Date.parse(at),
        line: JSON.stringify({
          id: `evt-${id}`,
          type: 'order.paid',
          createdAt: at,
          data: {
            id,
            currency: 'USD',
            createdAt: at,
            customer: { id: `cust${n}`, email: `customer${n}@bench.example` },
            lines: [{ id: 'l1', productId: `p${1 + (k % 7)}`, quantity: 1, price: formatMinor(cents, 'USD') }],
            shipping: '4.95',
            total: formatMinor(cents + 495, 'USD'),
          },
        }),
      });
    });
  }
  rows.sort((a, b) => a.at - b.at);
  return { text: rows.map((r) => r.line).join('\n') + '\n', customers };
};

/**
 * Wall time while at least one call of a kind is in flight: with concurrent commits, summing
 * each call's duration would count the same second several times.
 */
const busyClock = () => {
  let inFlight = 0;
  let since = 0;
  let total = 0;
  return {
    track: async <T>(work: () => Promise<T>): Promise<T> => {
      if (inFlight++ === 0) since = performance.now();
      try {
        return await work();
      } finally {
        if (--inFlight === 0) total += performance.now() - since;
      }
    },
    seconds: () => total / 1000,
  };
};

/** Counts the bulk writes (transactions and their items) and times the reads and the writes. */
const counted = (store: ImportStore) => {
  const stats = { transactions: 0, items: 0, conflicts: 0 };
  const reads = busyClock();
  const writes = busyClock();
  const wrapped: ImportStore = {
    ...store,
    getCustomers: (shopId, cids) => reads.track(() => store.getCustomers(shopId, cids)),
    getOrders: (shopId, orderIds) => reads.track(() => store.getOrders(shopId, orderIds)),
    async commitHistory(shopId, batches, program) {
      const out = await writes.track(() => store.commitHistory(shopId, batches, program));
      stats.transactions++;
      stats.items += batches.reduce((n, b) => n + batchItems(b.batch), 0);
      if (out === 'conflict') stats.conflicts++;
      return out;
    },
  };
  return { stats, reads, writes, wrapped };
};

const main = async () => {
  const stack = await startStack();
  try {
    log(heading(`bench:import — ${fmt(settings.orders)} historical orders, custom-jsonl, one import job`));
    const built = Date.now();
    const file = historyFile(settings.orders);
    log(
      keyValues([
        ['DynamoDB', stack.dynamoDescription],
        ['CPUs', `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`],
        [
          'file',
          `${fmt(Buffer.byteLength(file.text) / 1e6, 1)} MB, ${fmt(settings.orders)} orders, ${fmt(file.customers)} customers (built in ${fmt((Date.now() - built) / 1000, 1)} s)`,
        ],
      ]),
    );
    const { shop } = await createBenchShop({}, 'custom');
    const base = importDeps(runtime());
    const { stats, reads, writes, wrapped } = counted(base.imports);
    const deps: ImportDeps = { ...base, imports: wrapped };
    const started = await startImport(
      deps,
      { start: async () => undefined },
      shop,
      {
        kind: 'orders',
        format: 'custom-jsonl',
        awardPoints: false,
        strict: false,
      },
      Buffer.from(file.text),
    );
    if (!started.ok) throw new Error(`import refused: ${started.error.kind}`);
    const t0 = performance.now();
    const job = await runImport(deps, { shopId: shop.id, importId: started.value.importId });
    const seconds = (performance.now() - t0) / 1000;
    if (!job) throw new Error('the run did not claim the job');
    log(
      keyValues([
        ['status', job.status],
        ['imported / skipped / failed', `${fmt(job.imported)} / ${fmt(job.skipped)} / ${fmt(job.failed)}`],
        [
          'total time',
          `${fmt(seconds, 1)} s (goal < ${settings.goalSeconds} s: ${seconds < settings.goalSeconds ? 'met' : 'MISSED'})`,
        ],
        ['orders/s', fmt(job.imported / seconds)],
        ['customers', fmt(file.customers)],
        [
          'transactions',
          `${fmt(stats.transactions)} (${fmt(stats.conflicts)} conflicts), ${fmt(stats.items / stats.transactions, 1)} items each`,
        ],
        ['transaction items per order', fmt(stats.items / job.imported, 2)],
        ['time reading (customers, orders)', `${fmt(reads.seconds(), 1)} s`],
        ['time writing (transactions)', `${fmt(writes.seconds(), 1)} s`],
        // A transactional write costs 2 write units per KB of item; order and customer items stay under 1 KB
        // here, and a customer item also writes its e-mail index entry (1 unit).
        ['write units per order (estimate)', fmt((2 * stats.items + stats.transactions) / job.imported, 2)],
      ]),
    );
  } finally {
    await stack.close();
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
