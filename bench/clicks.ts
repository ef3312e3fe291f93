/**
 * `npm run bench:clicks`: what a referral-link click (`GET /r/{code}`) costs in DynamoDB
 * capacity, and how fast the redirect answers under concurrent visitors. Prints figures only:
 * no assertions, and a missed goal is reported, not failed.
 *
 * 1. Capacity: clicks one at a time through the local gateway and the real handler; every
 *    DynamoDB call is observed (reported ConsumedCapacity and AWS arithmetic on item sizes).
 * 2. Load: 20 concurrent clients, new visitors then repeat visitors, after a warm-up.
 */
import { cpus } from 'node:os';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../shared/adapters/keys';
import { createRuntime, setRuntime, type Runtime } from '../shared/wiring/runtime';
import { createDocumentClient } from '../shared/adapters/dynamo';
import { sdkTable } from '../shared/adapters/table-sdk';
import { consistentReadUnits, itemSize, writeUnits, type Item } from './support/item-size';
import { fmt, heading, keyValues, median, percentile, table, units } from './support/report';
import { createBenchShop, startStack, type BenchStack } from './support/stack';

const settings = {
  /** Clicks per capacity scenario; the median is reported. */
  capacityClicks: 50,
  /** Cold-container samples: each one on a fresh runtime, so code and shop caches are empty. */
  coldSamples: 10,
  load: {
    /** The headline: this many clients at once, each sending its next click when the last is answered. */
    concurrency: 20,
    requests: 3_000,
    /** One client at a time: the latency of a click itself, without queueing. */
    serialRequests: 500,
    warmupRequests: 300,
    /** DynamoDB Local on its own: single-item ADDs, the floor under every figure above it. */
    floorOps: 2_000,
    timeCapMs: 120_000,
    requestTimeoutMs: 30_000,
  },
  /** High enough that the per-IP limiter never answers 429 (every client here is 127.0.0.1). */
  ratePerMinute: 10_000_000,
  goals: { p99Ms: 20 },
} as const;

// Read by the redirect function when it builds its service: set before the first request.
process.env.BOOMERANG_CLICK_RATE_PER_MINUTE = String(settings.ratePerMinute);

const browser =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const log = (text = '') => console.log(text);

// ── observing DynamoDB calls ────────────────────────────────────────────────────────────

type Key = { pk: string; sk: string };
type ItemKind = 'code index' | 'shop' | 'click de-dupe' | 'day stats' | 'shop code' | 'other';

const kindOf = ({ pk, sk }: Key): ItemKind => {
  if (pk.startsWith('CODE#')) return 'code index';
  if (sk === 'SHOP') return 'shop';
  if (sk === 'CLICK') return 'click de-dupe';
  if (sk === 'CODE') return 'shop code';
  if (/^\d{4}-\d{2}-\d{2}$/.test(sk)) return 'day stats';
  return 'other';
};

interface Call {
  op: 'GetItem' | 'PutItem' | 'UpdateItem';
  kind: ItemKind;
  /** The write's condition failed (still billed). */
  refused: boolean;
  bytes: number;
  /** ConsumedCapacity from DynamoDB; undefined when the call failed (a refused condition reports none). */
  reported?: number;
  /** AWS arithmetic: GetItem 1 RCU per 4 KB (½ eventually consistent); Put/Update 1 WCU per KB of the larger image. */
  modelled: number;
  read: boolean;
}

/**
 * Wraps the document client the handler uses. `probe` is an unobserved low-level client that
 * reads each item's before and after images for exact sizes; the benchmark sends one request
 * at a time while measuring, so every call between begin() and the response is that request's.
 */
const createObserver = (probe: DynamoDBClient, tableName: string) => {
  let calls: Call[] = [];
  const image = async (key: Key): Promise<Item | undefined> =>
    (
      await probe.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: key.pk }, sk: { S: key.sk } },
          ConsistentRead: true,
        }),
      )
    ).Item;

  const observed = async (db: DynamoDBDocumentClient, command: GetCommand | PutCommand | UpdateCommand) => {
    const input = command.input as { Key?: Key; Item?: Key; ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
    const key = input.Key ?? { pk: input.Item!.pk, sk: input.Item!.sk };
    input.ReturnConsumedCapacity ??= 'TOTAL';
    const before = await image(key);
    const op = command instanceof GetCommand ? 'GetItem' : command instanceof PutCommand ? 'PutItem' : 'UpdateItem';
    const read = op === 'GetItem';
    const record = (
      out: { ConsumedCapacity?: { CapacityUnits?: number } } | undefined,
      after: Item | undefined,
      refused: boolean,
    ) => {
      const bytes = Math.max(itemSize(before), itemSize(after));
      const modelled = read ? consistentReadUnits(bytes) / (input.ConsistentRead ? 1 : 2) : writeUnits(bytes);
      calls.push({
        op,
        kind: kindOf(key),
        refused,
        bytes,
        reported: out?.ConsumedCapacity?.CapacityUnits,
        modelled,
        read,
      });
    };
    try {
      const out = await db.send(command as GetCommand);
      record(out, read ? before : await image(key), false);
      return out;
    } catch (e) {
      if ((e as Error).name === 'ConditionalCheckFailedException') record(undefined, before, true);
      throw e;
    }
  };

  return {
    begin: () => {
      calls = [];
      return calls;
    },
    observe: (db: DynamoDBDocumentClient): DynamoDBDocumentClient =>
      new Proxy(db, {
        get(target, prop) {
          if (prop === 'send') {
            return (command: unknown, ...rest: unknown[]) => {
              if (command instanceof GetCommand || command instanceof PutCommand || command instanceof UpdateCommand)
                return observed(target, command);
              return (target.send as (...a: unknown[]) => unknown)(command, ...rest);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
  };
};

// ── clicks ──────────────────────────────────────────────────────────────────────────────

interface ClickResult {
  status: number;
  ms: number;
  visitorId?: string;
}

const clickOnce = async (
  url: string,
  options: { visitorId?: string; userAgent?: string; timeoutMs?: number } = {},
): Promise<ClickResult> => {
  const t0 = performance.now();
  const res = await fetch(url, {
    redirect: 'manual',
    headers: {
      'user-agent': options.userAgent ?? browser,
      ...(options.visitorId ? { cookie: `bmr_vid=${options.visitorId}` } : {}),
    },
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  });
  // Reading the body to the end is what lets the connection be reused.
  await res.arrayBuffer();
  const ms = performance.now() - t0;
  const vid = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('bmr_vid='))
    ?.split(';')[0]
    ?.slice('bmr_vid='.length);
  return { status: res.status, ms, ...(vid ? { visitorId: vid } : {}) };
};

/** Writes a code as the code-creation endpoint does: the global index and the shop's code item. */
const seedCode = async (db: DynamoDBDocumentClient, tableName: string, shopId: string, code: string) => {
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...keys.globalReferralCode(code), itemType: 'code_owner', shopId, cid: 'i.1', code },
    }),
  );
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.referralCode(shopId, code),
        itemType: 'code',
        shopId,
        cid: 'i.1',
        code,
        vanity: false,
        createdAt: new Date().toISOString(),
        clicks: 0,
      },
    }),
  );
};

// ── 1. capacity ─────────────────────────────────────────────────────────────────────────

interface Scenario {
  label: string;
  samples: { status: number; calls: Call[] }[];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

const runCapacity = async (stack: BenchStack, url: string): Promise<Scenario[]> => {
  const observer = createObserver(stack.client, stack.tableName);
  const sdk = createDocumentClient();
  const db = observer.observe(sdk);
  // A new runtime per "container": the handler keeps its caches and memory per runtime. Its
  // table is the SDK's document client, observed (Lambda runs the small HTTP client instead).
  const container = (): Runtime => createRuntime(process.env, { table: sdkTable(db) });
  const measure = async (options: Parameters<typeof clickOnce>[1] = {}) => {
    const calls = observer.begin();
    const r = await clickOnce(url, options);
    return { status: r.status, calls, visitorId: r.visitorId };
  };
  const times = async (n: number, options: (i: number) => Parameters<typeof clickOnce>[1]) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await measure(options(i)));
    return out;
  };

  const cold: Scenario['samples'] = [];
  for (let i = 0; i < settings.coldSamples; i++) {
    setRuntime(container());
    cold.push(await measure());
  }
  // Container A: code and shop cached by a first click, then new visitors and their repeats.
  setRuntime(container());
  await clickOnce(url);
  const fresh = await times(settings.capacityClicks, () => ({}));
  const repeatSame = await times(fresh.length, (i) => ({ visitorId: fresh[i]!.visitorId }));
  const bots = await times(10, () => ({
    userAgent: 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  }));
  // Container B: warm, but it has never seen A's visitors.
  setRuntime(container());
  await clickOnce(url);
  const repeatOther = await times(fresh.length, (i) => ({ visitorId: fresh[i]!.visitorId }));
  sdk.destroy();
  return [
    { label: 'a) new visitor, warm container (code + shop cached)', samples: fresh },
    { label: 'b) repeat visitor (< 24 h), same container', samples: repeatSame },
    { label: 'c) repeat visitor (< 24 h), another container', samples: repeatOther },
    { label: 'd) bot / link preview, warm', samples: bots },
    { label: `e) new visitor, cold container (code + shop read)`, samples: cold },
  ];
};

const printCapacity = (scenarios: Scenario[]) => {
  log(
    heading(
      `1. Capacity per click: one request at a time, median of ${settings.capacityClicks} (${settings.coldSamples} cold, 10 bots)`,
    ),
  );
  const rows = scenarios.map((s) => {
    const reads = (f: (c: Call) => number | undefined) =>
      median(s.samples.map((x) => sum(x.calls.filter((c) => c.read).map((c) => f(c) ?? 0))));
    const writes = (f: (c: Call) => number | undefined) =>
      median(s.samples.map((x) => sum(x.calls.filter((c) => !c.read).map((c) => f(c) ?? 0))));
    const statuses = [...new Set(s.samples.map((x) => x.status))].join('/');
    const roundTrips = median(s.samples.map((x) => x.calls.length));
    return [
      s.label,
      statuses,
      String(roundTrips),
      units(reads((c) => c.reported)),
      units(reads((c) => c.modelled)),
      units(writes((c) => c.reported)),
      units(writes((c) => c.modelled)),
    ];
  });
  log(
    table(['scenario', 'HTTP', 'calls', 'RCU rep.', 'RCU model', 'WCU rep.', 'WCU model'], rows, [
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  );
  log();
  for (const s of scenarios) {
    const sample = s.samples[Math.floor(s.samples.length / 2)]!;
    const parts = sample.calls.map(
      (c) =>
        `${c.op} ${c.kind}${c.refused ? ' (condition refused)' : ''} ${fmt(c.bytes)} B = ${units(c.modelled)} ${c.read ? 'RCU' : 'WCU'}`,
    );
    log(`${s.label.split(/,| \(/)[0]}: ${parts.join('; ') || 'no DynamoDB call'}`);
  }
  log();
  log('rep. = ConsumedCapacity reported by DynamoDB Local (a write refused by its condition reports nothing, so');
  log("       a repeat visitor's de-dupe put shows 0 there; AWS bills it). model = AWS arithmetic on the stored");
  log('       items: eventually consistent GetItem ½ RCU per started 4 KB (the code index), consistent 1 (the');
  log('       shop); PutItem/UpdateItem 1 WCU per started KB of the larger of the before/after item, also when');
  log('       the condition fails. No GSI keys on these items, so no index writes. TTL deletes of expired');
  log('       de-dupe items are free. The shop read happens once per shop per minute per container.');
  log("calls = DynamoDB calls; a new visitor's two counter updates run in parallel after the de-dupe put (2 round");
  log("        trips). A container remembers the windows it opened or saw (the refused put returns the item's");
  log('        expiresAt at no cost), so a repeat there is one update (b); elsewhere, put refused + update (c).');
};

// ── 2. load ─────────────────────────────────────────────────────────────────────────────

interface LoadResult {
  sent: number;
  statuses: Record<string, number>;
  latenciesMs: number[];
  wallMs: number;
  visitorIds: string[];
  hitTimeCap: boolean;
}

/** `count` clicks by `concurrency` clients over one shared queue; `visitorFor(i)` is the i-th click's cookie. */
const runLoad = async (
  url: string,
  count: number,
  concurrency: number,
  visitorFor: (i: number) => string | undefined,
): Promise<LoadResult> => {
  const l = settings.load;
  const result: LoadResult = { sent: 0, statuses: {}, latenciesMs: [], wallMs: 0, visitorIds: [], hitTimeCap: false };
  const started = performance.now();
  let next = 0;
  const client = async () => {
    while (next < count) {
      if (performance.now() - started > l.timeCapMs) {
        result.hitTimeCap = true;
        return;
      }
      const i = next++;
      result.sent += 1;
      try {
        const visitorId = visitorFor(i);
        const r = await clickOnce(url, { timeoutMs: l.requestTimeoutMs, ...(visitorId ? { visitorId } : {}) });
        result.latenciesMs.push(r.ms);
        result.statuses[`HTTP ${r.status}`] = (result.statuses[`HTTP ${r.status}`] ?? 0) + 1;
        if (r.visitorId) result.visitorIds.push(r.visitorId);
      } catch (e) {
        const name = (e as Error).name || 'Error';
        result.statuses[name] = (result.statuses[name] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  result.wallMs = performance.now() - started;
  return result;
};

interface Floor {
  concurrency: number;
  latenciesMs: number[];
  wallMs: number;
}

/** DynamoDB Local alone: `ops` single-item UpdateItem ADDs (what a click's writes are), no gateway, no handler. */
const measureFloor = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  ops: number,
  concurrency: number,
): Promise<Floor> => {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ops) {
        const i = next++;
        const t0 = performance.now();
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `BENCH#FLOOR#${i % 100}`, sk: 'X' },
            UpdateExpression: 'ADD n :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { concurrency, latenciesMs, wallMs: performance.now() - started };
};

interface LoadRow {
  label: string;
  concurrency: number;
  result: LoadResult;
}

const runLoadPhase = async (url: string, tableName: string) => {
  const l = settings.load;
  // Plain runtimes: no observer, no ReturnConsumedCapacity, the table client Lambda runs.
  const containerA = createRuntime(process.env);
  const floorDb = createDocumentClient();
  setRuntime(containerA);
  // The warm-up also warms DynamoDB Local's JVM for the floor measured next.
  const warmup = await runLoad(url, l.warmupRequests, l.concurrency, () => undefined);
  const floors = [
    await measureFloor(floorDb, tableName, l.floorOps / 2, 1),
    await measureFloor(floorDb, tableName, l.floorOps, l.concurrency),
  ];
  // A permutation of the pool (7,919 is prime), so each repeat visitor comes back once.
  const shuffled = (pool: string[]) => (i: number) => pool[(i * 7919) % pool.length];
  const rows: LoadRow[] = [];
  const serialNew = await runLoad(url, l.serialRequests, 1, () => undefined);
  rows.push({ label: 'a) new visitors', concurrency: 1, result: serialNew });
  rows.push({
    label: 'b) repeat visitors, same container',
    concurrency: 1,
    result: await runLoad(url, l.serialRequests, 1, shuffled(serialNew.visitorIds)),
  });
  const fresh = await runLoad(url, l.requests, l.concurrency, () => undefined);
  rows.push({ label: 'a) new visitors', concurrency: l.concurrency, result: fresh });
  rows.push({
    label: 'b) repeat visitors, same container',
    concurrency: l.concurrency,
    result: await runLoad(url, l.requests, l.concurrency, shuffled(fresh.visitorIds)),
  });
  // Container B: code and shop cached by one click; A's visitors are new to its memory.
  const containerB = createRuntime(process.env);
  setRuntime(containerB);
  await clickOnce(url);
  rows.push({
    label: 'c) repeat visitors, another container',
    concurrency: l.concurrency,
    result: await runLoad(url, l.requests, l.concurrency, shuffled(fresh.visitorIds)),
  });
  floorDb.destroy();
  return { floors, warmup, rows };
};

const printLoad = (phase: Awaited<ReturnType<typeof runLoadPhase>>) => {
  const l = settings.load;
  log(heading(`2. Redirect latency and throughput through the local gateway (fetch, keep-alive), warm containers`));
  log(
    `warm-up (excluded): ${fmt(phase.warmup.sent)} new-visitor clicks at ${l.concurrency} concurrent, ${fmt(phase.warmup.wallMs / 1000, 1)} s`,
  );
  const describe = (r: LoadResult) =>
    Object.entries(r.statuses)
      .map(([k, v]) => `${fmt(v)} × ${k}`)
      .join(', ');
  const row = ({ label, concurrency, result: r }: LoadRow) => {
    const lat = r.latenciesMs;
    const p99 = percentile(lat, 99);
    const failures = r.sent - (r.statuses['HTTP 302'] ?? 0);
    return [
      label,
      String(concurrency),
      fmt(r.sent),
      fmt(failures),
      fmt(percentile(lat, 50), 1),
      fmt(percentile(lat, 90), 1),
      fmt(p99, 1),
      fmt(percentile(lat, 100), 1),
      fmt(r.sent / (r.wallMs / 1000), 0),
      fmt(r.wallMs / 1000, 1),
      `p99 < ${settings.goals.p99Ms} ms`,
      p99 < settings.goals.p99Ms ? 'met' : '*** MISSED ***',
    ];
  };
  log(
    table(
      [
        'scenario',
        'clients',
        'requests',
        'non-302',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'req/s',
        'wall s',
        'goal',
        'result',
      ],
      phase.rows.map(row),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ),
  );
  for (const r of phase.rows)
    log(
      `answers, ${r.label} × ${r.concurrency}: ${describe(r.result)}${r.result.hitTimeCap ? ` (stopped by the ${l.timeCapMs / 1000} s time cap)` : ''}`,
    );
  log();
  log('DynamoDB Local alone (same process, SDK straight to DynamoDB Local, single-item UpdateItem ADD):');
  log(
    table(
      ['clients', 'ops', 'p50 ms', 'p90 ms', 'p99 ms', 'ops/s'],
      phase.floors.map((f) => [
        String(f.concurrency),
        fmt(f.latenciesMs.length),
        fmt(percentile(f.latenciesMs, 50), 1),
        fmt(percentile(f.latenciesMs, 90), 1),
        fmt(percentile(f.latenciesMs, 99), 1),
        fmt(f.latenciesMs.length / (f.wallMs / 1000), 0),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r'],
      '  ',
    ),
  );
  log();
  log('Latency is measured by the client: fetch → local gateway (same process) → handler → DynamoDB Local and back.');
  log(
    `With ${l.concurrency} clients always waiting, latency ≈ ${l.concurrency} ÷ throughput (Little's law): the ${l.concurrency}-client rows`,
  );
  log('measure how many clicks these cores serve, not the time one click takes; the 1-client rows do that.');
  log('A new visitor is 2 DynamoDB round trips (de-dupe put, then both counters in parallel), a repeat 1 or 2.');
};

// ── main ────────────────────────────────────────────────────────────────────────────────

const printCounters = async (
  doc: DynamoDBDocumentClient,
  stack: BenchStack,
  shopId: string,
  code: string,
  expected: { clicks: number; repeats: number },
) => {
  const day = (
    await doc.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: keys.referralStatsDay(shopId, new Date().toISOString().slice(0, 10)),
        ConsistentRead: true,
      }),
    )
  ).Item;
  const item = (
    await doc.send(
      new GetCommand({ TableName: stack.tableName, Key: keys.referralCode(shopId, code), ConsistentRead: true }),
    )
  ).Item;
  log(heading('3. Counters after the run (concurrent ADDs lose nothing)'));
  log(
    keyValues([
      [
        'day stats',
        `clicks ${fmt(Number(day?.clicks ?? 0))}, uniqueVisitors ${fmt(Number(day?.uniqueVisitors ?? 0))}, repeatClicks ${fmt(Number(day?.repeatClicks ?? 0))}`,
      ],
      ['code item', `clicks ${fmt(Number(item?.clicks ?? 0))}`],
      [
        'expected',
        `clicks ${fmt(expected.clicks)}, repeatClicks ${fmt(expected.repeats)} (302s sent to new / repeat visitors)`,
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
  let doc: DynamoDBDocumentClient | undefined;
  try {
    doc = createDocumentClient();
    const { shop } = await createBenchShop();
    const code = `BENCH${Math.floor(Math.random() * 1e6)}`;
    await seedCode(doc, stack.tableName, shop.id, code);
    const url = `${stack.baseUrl}/r/${code}`;
    const cpu = cpus();
    log(heading('Boomerang referral click benchmark (npm run bench:clicks)'));
    log(
      keyValues([
        ['date', new Date().toISOString()],
        ['node', `${process.version} (${process.platform}/${process.arch})`],
        ['CPUs', `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown'}`],
        ['DynamoDB', stack.dynamoDescription],
        ['table', `${stack.tableName} (fresh, from infra/table.ts)`],
        ['gateway', `${stack.baseUrl} (local/gateway.ts in this process → functions/referral-redirect/handler.ts)`],
        [
          'request',
          `GET /r/${code} → 302 to ${shop.storefrontUrl}; rate limit raised to ${fmt(settings.ratePerMinute)}/min for the run`,
        ],
      ]),
    );

    const scenarios = await runCapacity(stack, url);
    printCapacity(scenarios);
    const phase = await runLoadPhase(url, stack.tableName);
    printLoad(phase);

    const okCount = (r: LoadResult) => r.statuses['HTTP 302'] ?? 0;
    const byLabel = (prefix: string) =>
      scenarios.filter((s) => s.label.startsWith(prefix)).reduce((n, s) => n + s.samples.length, 0);
    const rowsOf = (prefix: string) =>
      phase.rows.filter((r) => r.label.startsWith(prefix)).reduce((n, r) => n + okCount(r.result), 0);
    // +2 and +1: the priming clicks of the capacity containers and of the load phase's container B.
    const newClicks = byLabel('a)') + byLabel('e)') + 2 + okCount(phase.warmup) + rowsOf('a)') + 1;
    const repeats = byLabel('b)') + byLabel('c)') + rowsOf('b)') + rowsOf('c)');
    await printCounters(doc, stack, shop.id, code, { clicks: newClicks, repeats });
  } finally {
    doc?.destroy();
    setRuntime(undefined);
    process.off('SIGINT', stop);
    await stack.close();
  }
};

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exitCode = 1;
});
