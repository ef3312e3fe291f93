import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { jobFiles, jobPrefix } from '../../../shared/app/nightly/files';
import type { NightlyDeps, NightlyJob, NightlyLauncher, NightlyRunInput } from '../../../shared/app/ports/nightly';
import { runInProcess, runStep, startNightly } from '../../../shared/app/nightly/run';
import { nextSegmentRecord } from '../../../shared/app/nightly/score';
import { csvColumns, csvColumnsFor } from '../../../shared/domain/churn/export-rows';
import { segmentNames, segmentSeverity } from '../../../shared/domain/churn/segments';
import type { CustomerRecord } from '../../../shared/domain/ledger/customer';
import type { DayMetrics } from '../../../shared/domain/metrics/day-metrics';
import { customer, memoryNightly, paidOrder, testShop, type MemoryNightly } from '../../support/memory-nightly';

/**
 * The nightly pipeline over in-memory ports: the steps in sequence, as the state machine or
 * runInProcess call them. The DynamoDB/filesystem/SES side is covered by
 * test/integration/nightly.test.ts.
 */

const shop = testShop();
const day = (base: string, n: number) => new Date(Date.parse(`${base}T10:00:00Z`) + n * 86_400_000).toISOString();

/** 30 repeat buyers at different rhythms and values, 12 one-time buyers, 3 with nothing that counts. */
const seed = (m: MemoryNightly, over: Record<string, Partial<CustomerRecord>> = {}) => {
  for (let i = 0; i < 30; i++) {
    const cid = `i.r${String(i).padStart(2, '0')}`;
    m.store.add(shop.id, {
      kind: 'customer',
      customer: customer(cid, { points: { available: 100 + i, pending: 10, lifetimeEarned: 200 }, ...over[cid] }),
    });
    const every = 14 + 5 * (i % 7);
    const count = 2 + (i % 5);
    for (let k = 0; k < count; k++) {
      m.store.add(shop.id, {
        kind: 'order',
        order: paidOrder(
          cid,
          `${cid}-${k}`,
          day('2025-09-01', i * 3 + k * every),
          ((5_000 + 1_700 * i) * [0.8, 1.2, 1.0, 0.9, 1.1][(k + i) % 5]!) | 0,
        ),
      });
    }
  }
  for (let i = 0; i < 12; i++) {
    const cid = `i.o${String(i).padStart(2, '0')}`;
    m.store.add(
      shop.id,
      { kind: 'customer', customer: customer(cid, over[cid]) },
      { kind: 'order', order: paidOrder(cid, `${cid}-0`, day('2025-10-01', 13 * i), 9_000 + 100 * i) },
    );
  }
  m.store.add(
    shop.id,
    { kind: 'customer', customer: customer('i.x1') },
    {
      kind: 'order',
      order: paidOrder('i.x1', 'x1-0', day('2025-12-01', 0), 5_000, { cancelledAt: day('2025-12-02', 0) }),
    },
    { kind: 'customer', customer: customer('i.x2') },
    {
      kind: 'order',
      order: paidOrder('i.x2', 'x2-0', day('2025-12-01', 0), 5_000, {
        state: { ...paidOrder('i.x2', 'x2-0', day('2025-12-01', 0), 5_000).state!, financialStatus: 'refunded' },
      }),
    },
    // Redacted: no personal data in the export.
    { kind: 'customer', customer: { ...customer('i.x3'), email: undefined, redactedAt: '2026-01-01T00:00:00.000Z' } },
    { kind: 'order', order: paidOrder('i.x3', 'x3-0', day('2025-11-01', 0), 7_000) },
    { kind: 'order', order: paidOrder('i.x3', 'x3-1', day('2026-02-01', 0), 7_500) },
  );
  for (const [i, score] of [10, 9, 7, 3, 0, 10].entries()) {
    m.store.add(shop.id, {
      kind: 'nps',
      answer: { cid: `i.r0${i}`, answerId: `a${i}`, score, at: day('2026-03-01', i) },
    });
  }
  // After the as-of day: must not count.
  m.store.add(shop.id, {
    kind: 'nps',
    answer: { cid: 'i.r09', answerId: 'late', score: 0, at: '2026-04-01T00:00:00.000Z' },
  });
  m.store.add(shop.id, { kind: 'order', order: paidOrder('i.o00', 'late-order', '2026-04-01T00:00:00.000Z', 100_000) });
};

const run = async (
  m: MemoryNightly,
  asOf: string,
  totalSegments: number,
  jobId = `job-${asOf}-${totalSegments}`,
): Promise<NightlyJob> => {
  const input: NightlyRunInput = { shopId: shop.id, jobId, asOf, totalSegments };
  const at = m.deps.clock.now().toISOString();
  expect(
    await m.deps.store.createJob({ ...input, trigger: 'api', status: 'running', createdAt: at, updatedAt: at }),
  ).toBe(true);
  return runInProcess(m.deps, input);
};

describe('nightly pipeline', () => {
  it('gives the same result, export and metrics whatever the number of scan segments', async () => {
    const one = memoryNightly(shop);
    const four = memoryNightly(shop);
    seed(one);
    seed(four);
    const a = await run(one, '2026-03-31', 1, 'same-job');
    const b = await run(four, '2026-03-31', 4, 'same-job');
    expect(a.status).toBe('succeeded');
    expect(b.status).toBe('succeeded');
    const { export: ea, ...ra } = a.result!;
    const { export: eb, ...rb } = b.result!;
    expect(rb).toEqual(ra);
    const csvA = one.sink.files.get(ea.csv.key)!.body;
    expect(four.sink.files.get(eb.csv.key)!.body).toBe(csvA);
    expect(four.sink.files.get(eb.json.key)!.body).toBe(one.sink.files.get(ea.json.key)!.body);
    expect(four.store.segments).toEqual(one.store.segments);
  });

  it('counts only what counts as of the day, and sums segments to the buyers', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const job = await run(m, '2026-03-31', 3);
    const r = job.result!;
    // 30 repeat + 12 one-time + the redacted repeat buyer; the cancelled and the refunded do not count.
    expect(r.model.customers).toBe(43);
    expect(Object.values(r.segments).reduce((a, b) => a + b, 0)).toBe(43);
    expect(Object.keys(r.segments).sort()).toEqual([...segmentNames].sort());
    expect(r.metrics).toMatchObject({ customers: 45, buyers: 43, repeatBuyers: 31 });
    // 10, 9 and 10 are promoters, 7 is passive, 3 and 0 are detractors: 100 × (3 − 2) / 6.
    expect(r.metrics.nps).toEqual({ score: 16.67, responses: 6, promoters: 3, passives: 1, detractors: 2 });
    expect(r.model.bgnbd.timeUnit).toBe('day');
    // Points liability: 30 × 10 pending + Σ (100 + i) available, at the cheapest reward (500 points = 500 øre).
    expect(r.metrics.pointsLiability).toMatchObject({ availablePoints: 30 * 100 + 435, pendingPoints: 300 });
    expect(r.metrics.pointsLiability.valueMinor).toBe(30 * 100 + 435 + 300);
  });

  it('writes the export: header once, rows in customer order, the redacted customer without e-mail', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const job = await run(m, '2026-03-31', 4);
    const csv = m.sink.files.get(job.result!.export.csv.key)!;
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(csvColumnsFor(90).join(','));
    expect(lines.filter((l) => l.startsWith('customer_id'))).toHaveLength(1);
    const ids = lines.slice(1).map((l) => l.split(',')[0]!);
    expect(ids).toHaveLength(43);
    expect(ids).toEqual([...ids].sort());
    const x3 = lines.find((l) => l.startsWith('i.x3,'))!.split(',');
    expect(x3[csvColumns.indexOf('email')]).toBe('');
    expect(lines.find((l) => l.startsWith('i.r01,'))!.split(',')[csvColumns.indexOf('email')]).toBe('r01@example.com');
    const json = JSON.parse(m.sink.files.get(job.result!.export.json.key)!.body) as {
      count: number;
      customers: { customerId: string; email: string }[];
    };
    expect(json.count).toBe(43);
    expect(json.customers.find((c) => c.customerId === 'i.x3')!.email).toBe('');
  });

  it("cleans up the run's scratch data and e-mails the marketers", async () => {
    const m = memoryNightly(shop);
    seed(m);
    const job = await run(m, '2026-03-31', 2);
    expect([...m.sink.files.keys()].filter((k) => k.startsWith(jobPrefix(shop.id, job.jobId)))).toEqual([]);
    expect([...m.sink.files.keys()].sort()).toEqual([
      `exports/${shop.id}/2026-03-31/customers.csv`,
      `exports/${shop.id}/2026-03-31/customers.json`,
    ]);
    expect(m.mail.sent).toHaveLength(1);
    expect(m.mail.sent[0]).toMatchObject({
      from: shop.senderEmail,
      to: shop.marketerEmails,
      subject: 'Boomerang nightly segments — Test Shop — 2026-03-31',
    });
    expect(m.mail.sent[0]!.text).toContain('memory://exports/shop-1/2026-03-31/customers.csv');
  });

  it('does not fail the job when the e-mail cannot be sent', async () => {
    const m = memoryNightly(shop, { mailFails: true });
    seed(m);
    const job = await run(m, '2026-03-31', 2);
    expect(job.status).toBe('succeeded');
    expect(m.log.lines.find((l) => l.message === 'nightly e-mail failed')).toMatchObject({ level: 'error' });
  });

  it('sends no e-mail to a shop without marketers', async () => {
    const quiet = testShop({ marketerEmails: [] });
    const m = memoryNightly(quiet);
    seed(m);
    await run(m, '2026-03-31', 1);
    expect(m.mail.sent).toEqual([]);
  });

  it('records segments with history; a later day that moves customers writes events; an earlier day changes nothing', async () => {
    const m = memoryNightly(shop);
    seed(m);
    await run(m, '2026-03-31', 2);
    expect(m.store.events).toEqual([]);
    const before = m.store.segments.get(`${shop.id}|i.r00`)!;
    expect(before).toMatchObject({
      asOf: '2026-03-31',
      since: '2026-03-31',
      history: [{ name: before.name, since: '2026-03-31' }],
    });

    m.setClock(fixedClock('2026-10-01T01:00:00.000Z'));
    await run(m, '2026-09-30', 2);
    expect(m.store.events.length).toBeGreaterThan(0);
    // No endpoint listens: no outgoing webhook events.
    expect(m.store.outgoing).toEqual([]);
    for (const e of m.store.events) {
      expect(e).toMatchObject({ eventType: 'segment_changed', at: '2026-10-01T01:00:00.000Z' });
      expect(e.data.worsened).toBe(segmentSeverity[e.data.to] > segmentSeverity[e.data.from]);
      const now = m.store.segments.get(`${shop.id}|${e.cid}`)!;
      expect(now).toMatchObject({ name: e.data.to, since: '2026-09-30', asOf: '2026-09-30' });
      expect(now.history.at(-2)!.name).toBe(e.data.from);
    }
    // Half a year of silence: most customers slipped.
    expect(m.store.events.filter((e) => e.data.worsened).length).toBeGreaterThan(10);

    const events = m.store.events.length;
    const stored = structuredClone([...m.store.segments.values()]);
    const replay = await run(m, '2026-01-31', 3);
    expect(replay.status).toBe('succeeded');
    expect(replay.result!.model.customers).toBeLessThan(43);
    expect(m.store.events).toHaveLength(events);
    expect([...m.store.segments.values()]).toEqual(stored);
  });

  it('queues segment.changed for outgoing webhooks with each move, only when an endpoint listens', async () => {
    const listening = testShop({ outgoingEvents: ['segment.changed'] });
    const m = memoryNightly(listening);
    seed(m);
    await run(m, '2026-03-31', 2);
    expect(m.store.outgoing).toEqual([]);
    m.setClock(fixedClock('2026-10-01T01:00:00.000Z'));
    await run(m, '2026-09-30', 2);
    expect(m.store.outgoing).toHaveLength(m.store.events.length);
    for (const [i, e] of m.store.events.entries()) {
      expect(m.store.outgoing[i]).toMatchObject({
        type: 'segment.changed',
        cid: e.cid,
        at: '2026-10-01T01:00:00.000Z',
        data: {
          shopId: listening.id,
          customer: expect.objectContaining({ cid: e.cid }),
          from: e.data.from,
          to: e.data.to,
          churnRisk: expect.any(Number),
        },
      });
    }
  });

  it('enters the customers whose risk crossed the win-back threshold since the stored night, and nobody else', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const started: { cid: string; riskSince: string }[] = [];
    m.deps.winback = {
      start: async (s, cid, riskSince) => {
        expect(s.id).toBe(shop.id);
        started.push({ cid, riskSince });
        return { started: true };
      },
    };
    // The first night is everyone's baseline: nobody is mailed, however risky.
    await run(m, '2026-03-31', 2);
    expect(started).toEqual([]);
    const before = new Map([...m.store.segments.values()].map((r) => [r.cid, r.churnRisk.score]));
    expect([...before.values()].some((score) => score >= shop.program.winback.riskThreshold)).toBe(true);
    // Three months of silence later: those who crossed the threshold in between.
    await run(m, '2026-06-30', 2);
    const crossed = [...m.store.segments.values()]
      .filter((r) => r.churnRisk.score >= shop.program.winback.riskThreshold)
      .filter((r) => (before.get(r.cid) ?? 100) < shop.program.winback.riskThreshold)
      .map((r) => r.cid)
      .sort();
    expect(crossed.length).toBeGreaterThan(0);
    expect(started.map((s) => s.cid).sort()).toEqual(crossed);
    expect(new Set(started.map((s) => s.riskSince))).toEqual(new Set(['2026-07-01T00:00:00.000Z']));

    const off = memoryNightly(
      testShop({ program: { ...shop.program, winback: { ...shop.program.winback, enabled: false } } }),
    );
    seed(off);
    const none: string[] = [];
    off.deps.winback = {
      start: async (_s, cid) => {
        none.push(cid);
        return { started: true };
      },
    };
    expect((await run(off, '2026-03-31', 1)).status).toBe('succeeded');
    expect(none).toEqual([]);
  });

  it('hands customers who qualify for a higher tier than they hold to the tier check, once each', async () => {
    const m = memoryNightly(shop);
    seed(m);
    // Qualifies for Silver (500 DKK in the window) but holds nothing; another already holds Silver.
    const month = m.deps.clock.now().toISOString().slice(0, 7);
    m.store.add(shop.id, {
      kind: 'customer',
      customer: customer('i.up1', { tierStats: { [month]: [60_000, 600, 1] } }),
    });
    m.store.add(shop.id, {
      kind: 'customer',
      customer: customer('i.kept', {
        tierStats: { [month]: [60_000, 600, 1] },
        tier: { id: 'silver', since: '2026-03-01T00:00:00.000Z', reviewAt: '2027-03-01T00:00:00.000Z' },
      }),
    });
    const rechecked: string[] = [];
    m.deps.tiers = {
      recheck: async (_s, cid) => {
        rechecked.push(cid);
        return true;
      },
    };
    await run(m, '2026-03-31', 3);
    expect(rechecked).toEqual(['i.up1']);
  });

  it('runs step by step as the state machine does, and a repeated assemble does nothing', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const base = { shopId: shop.id, jobId: 'sfn-1', asOf: '2026-03-31' };
    const at = m.deps.clock.now().toISOString();
    await m.deps.store.createJob({
      ...base,
      totalSegments: 3,
      trigger: 'schedule',
      status: 'running',
      createdAt: at,
      updatedAt: at,
    });
    for (const segment of [0, 1, 2]) {
      const out = await runStep(m.deps, { step: 'summarise', ...base, segment, totalSegments: 3 });
      expect(out).toMatchObject({ step: 'summarise', segment });
    }
    // totalSegments may be left out: the job record has it.
    const fitted = await runStep(m.deps, { step: 'fit', ...base });
    expect(fitted).toMatchObject({ step: 'fit', shards: [0, 1, 2], customers: 43 });
    // Each step records the job's progress as it begins (summarise: the job starts there).
    expect((await m.deps.store.getJob(shop.id, 'sfn-1'))!.progress).toEqual({
      step: 'fit',
      stepsDone: 1,
      stepsTotal: 4,
    });
    for (const segment of [0, 1, 2]) await runStep(m.deps, { step: 'score', ...base, segment, totalSegments: 3 });
    const done = await runStep(m.deps, { step: 'assemble', ...base, totalSegments: 3 });
    expect(done).toEqual({ step: 'assemble', status: 'succeeded', jobId: 'sfn-1' });
    expect(JSON.stringify(done).length).toBeLessThan(1000);
    expect(await runStep(m.deps, { step: 'assemble', ...base, totalSegments: 3 })).toEqual(done);
    // One write per shard's score call; none once the job has succeeded.
    expect(m.store.progressLog.map((p) => `${p.step}:${p.stepsDone}`)).toEqual([
      'fit:1',
      'score:2',
      'score:2',
      'score:2',
      'assemble:3',
    ]);
    expect(m.mail.sent).toHaveLength(1);
    // A late failure report cannot undo a success.
    expect(
      await runStep(m.deps, { step: 'fail', ...base, error: { Error: 'States.Timeout', Cause: 'late' } }),
    ).toMatchObject({ status: 'succeeded' });
    expect((await m.deps.store.getJob(shop.id, 'sfn-1'))!.status).toBe('succeeded');
  });

  it('marks the job failed with the error when a step throws', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const broken: NightlyDeps = {
      ...m.deps,
      sink: { ...m.deps.sink, get: async (key) => (key.endsWith('model.json') ? undefined : m.deps.sink.get(key)) },
    };
    const at = m.deps.clock.now().toISOString();
    await m.deps.store.createJob({
      shopId: shop.id,
      jobId: 'j',
      asOf: '2026-03-31',
      totalSegments: 2,
      trigger: 'api',
      status: 'running',
      createdAt: at,
      updatedAt: at,
    });
    const job = await runInProcess(broken, { shopId: shop.id, jobId: 'j', asOf: '2026-03-31', totalSegments: 2 });
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({
      code: 'Error',
      message: `Job data ${jobFiles(shop.id, 'j').model} is missing: did the previous step run?`,
    });
    expect(job.result).toBeUndefined();
    expect(m.mail.sent).toEqual([]);
  });

  it('a step without its segment, or for a segment out of range, throws', async () => {
    const m = memoryNightly(shop);
    await expect(
      runStep(m.deps, { step: 'summarise', shopId: shop.id, jobId: 'j', asOf: '2026-03-31', totalSegments: 2 }),
    ).rejects.toThrow(/needs a segment/);
    await expect(
      runStep(m.deps, {
        step: 'summarise',
        shopId: shop.id,
        jobId: 'j',
        asOf: '2026-03-31',
        totalSegments: 2,
        segment: 2,
      }),
    ).rejects.toThrow(/not one of/);
    await expect(runStep(m.deps, { step: 'fit', shopId: shop.id, jobId: 'nope', asOf: '2026-03-31' })).rejects.toThrow(
      /No job/,
    );
  });

  it('keeps the day’s metrics, scores engagement and puts the engaged who stopped buying in their segment', async () => {
    const base = memoryNightly(shop);
    seed(base);
    await run(base, '2026-03-31', 2);
    // A one-time buyer from autumn 2025 (over 90 days without a purchase) the models see slipping or gone.
    const lapsed = ['i.o00', 'i.o01', 'i.o02', 'i.o03'].find(
      (cid) => segmentSeverity[base.store.segments.get(`${shop.id}|${cid}`)!.name] > 0,
    )!;
    expect(lapsed).toBeDefined();

    const vipShop = testShop({
      program: {
        ...shop.program,
        membership: {
          ...shop.program.membership,
          enabled: true,
          plans: [
            {
              id: 'vip',
              name: 'VIP',
              productIds: [],
              skus: ['VIP'],
              periodMonths: 12,
              multiplierPercent: 150,
              perks: '',
            },
          ],
        },
      },
    });
    const m = memoryNightly(vipShop);
    const kept: DayMetrics[] = [];
    m.deps.metrics = { putDay: async (_shopId, d) => void kept.push(d) };
    seed(m, {
      // Reviewed something on the as-of day.
      [lapsed]: { engagedDays: ['2026-03-31'] },
      'i.r00': {
        membership: {
          planId: 'vip',
          status: 'active',
          since: '2025-06-01T00:00:00.000Z',
          paidThrough: '2026-06-01T00:00:00.000Z',
          payments: [],
        },
      },
    });
    const job = await run(m, '2026-03-31', 2);
    expect(m.store.segments.get(`${shop.id}|${lapsed}`)!.name).toBe('engaged_not_buying');
    expect(job.result!.segments.engaged_not_buying).toBe(1);

    const csv = m.sink.files.get(job.result!.export.csv.key)!.body.split('\r\n').filter(Boolean);
    const header = csv[0]!.split(',');
    const engagementOf = (cid: string) =>
      csv.find((l) => l.startsWith(`${cid},`))!.split(',')[header.indexOf('engagement')];
    // An activity on the as-of day: 50 for recency + 5 for one day.
    expect(engagementOf(lapsed)).toBe('55');
    expect(engagementOf('i.r00')).toBe('0');

    const loyalty = job.result!.loyalty!;
    expect(kept).toEqual([loyalty]);
    // The run started 2026-04-01T01:00, after the day ended: answers up to its last millisecond.
    expect(loyalty).toMatchObject({ asOf: '2026-03-31', answersUntil: '2026-03-31T23:59:59.999Z', customers: 45 });
    expect(loyalty.nps).toEqual(job.result!.metrics.nps);
    expect(loyalty).toMatchObject({ engagedCustomers: 1, engagementRate: Math.round((1 / 45) * 10_000) / 10_000 });
    expect(loyalty.members.customers).toBe(1);
    expect(loyalty.nonMembers.customers).toBe(44);
    expect(loyalty.bySegment.engaged_not_buying).toMatchObject({ customers: 1, engagedCustomers: 1, repeatBuyers: 0 });
    // The cancelled and the refunded customer have no counted order, so no segment.
    expect(loyalty.bySegment.none.customers).toBe(2);
    const inSegments = Object.values(loyalty.bySegment).reduce((n, s) => n + s.customers, 0);
    expect(inSegments).toBe(45);
  });

  it('handles a shop with no orders at all', async () => {
    const m = memoryNightly(shop);
    m.store.add(shop.id, { kind: 'customer', customer: customer('i.lonely') });
    const job = await run(m, '2026-03-31', 2);
    expect(job.status).toBe('succeeded');
    expect(job.result!.model).toMatchObject({
      customers: 0,
      fallback: { bgnbd: 'too_few_customers', gammaGamma: 'too_few_repeat_buyers' },
    });
    for (const v of Object.values(job.result!.model.gammaGamma)) expect(Number.isFinite(v)).toBe(true);
    expect(job.result!.metrics).toMatchObject({ customers: 1, buyers: 0 });
    expect(m.sink.files.get(job.result!.export.csv.key)!.body).toBe(`${csvColumnsFor(90).join(',')}\r\n`);
  });
});

describe('startNightly', () => {
  const launcher = (fail = false) => {
    const started: NightlyRunInput[] = [];
    const l: NightlyLauncher = {
      async start(input) {
        if (fail) throw new Error('no state machine');
        started.push(input);
      },
    };
    return { l, started };
  };

  it('hands the run to the launcher and answers at once, the job running', async () => {
    const m = memoryNightly(shop);
    const { l, started } = launcher();
    const r = await startNightly(m.deps, l, shop, {
      asOf: '2026-03-31',
      jobId: 'j1',
      trigger: 'api',
      totalSegments: 4,
    });
    expect(r).toMatchObject({ outcome: 'started', mode: 'async', job: { jobId: 'j1', status: 'running' } });
    expect(started).toEqual([{ shopId: shop.id, jobId: 'j1', asOf: '2026-03-31', totalSegments: 4 }]);
    expect((await m.deps.store.getJob(shop.id, 'j1'))!.status).toBe('running');
  });

  it('marks the job failed when the launcher cannot start it', async () => {
    const m = memoryNightly(shop);
    await expect(
      startNightly(m.deps, launcher(true).l, shop, {
        asOf: '2026-03-31',
        jobId: 'j2',
        trigger: 'api',
        totalSegments: 4,
      }),
    ).rejects.toThrow('no state machine');
    expect(await m.deps.store.getJob(shop.id, 'j2')).toMatchObject({
      status: 'failed',
      error: { code: 'Error', message: 'no state machine' },
    });
  });

  it('runs in-process without a launcher; a taken job id starts nothing unless that run failed', async () => {
    const m = memoryNightly(shop);
    seed(m);
    const first = await startNightly(m.deps, undefined, shop, {
      asOf: '2026-03-31',
      jobId: 'nightly-2026-03-31',
      trigger: 'schedule',
      totalSegments: 2,
    });
    expect(first).toMatchObject({ outcome: 'finished', mode: 'sync', job: { status: 'succeeded' } });
    const again = await startNightly(m.deps, launcher().l, shop, {
      asOf: '2026-03-31',
      jobId: 'nightly-2026-03-31',
      trigger: 'schedule',
      totalSegments: 2,
    });
    expect(again).toMatchObject({ outcome: 'exists', job: { status: 'succeeded' } });

    await startNightly(m.deps, launcher(true).l, shop, {
      asOf: '2026-03-30',
      jobId: 'nightly-2026-03-30',
      trigger: 'schedule',
      totalSegments: 2,
    }).catch(() => undefined);
    const retried = await startNightly(m.deps, undefined, shop, {
      asOf: '2026-03-30',
      jobId: 'nightly-2026-03-30',
      trigger: 'schedule',
      totalSegments: 2,
    });
    expect(retried).toMatchObject({ outcome: 'finished', job: { status: 'succeeded' } });
  });
});

describe('nextSegmentRecord', () => {
  const scored = (name: 'loyal' | 'at_risk' | 'lost', asOf: string) => ({
    cid: 'i.1',
    name,
    asOf,
    jobId: 'j',
    churnRisk: { score: 10, band: 'low' as const },
    pAlive: 0.9,
    expectedPurchases90d: 1,
    predictedValue12mMinor: 100,
    rfm: { r: 3, f: 3, m: 3 },
    updatedAt: 'x',
  });

  it('starts the history, keeps `since` while unchanged, appends on a move and keeps the last 12', () => {
    let { record, transition } = nextSegmentRecord(undefined, scored('loyal', '2026-01-01'));
    expect(transition.kind).toBe('entered');
    expect(record).toMatchObject({ since: '2026-01-01', history: [{ name: 'loyal', since: '2026-01-01' }] });
    ({ record, transition } = nextSegmentRecord(record, scored('loyal', '2026-01-02')));
    expect(transition.kind).toBe('unchanged');
    expect(record).toMatchObject({
      asOf: '2026-01-02',
      since: '2026-01-01',
      history: [{ name: 'loyal', since: '2026-01-01' }],
    });
    ({ record, transition } = nextSegmentRecord(record, scored('at_risk', '2026-01-03')));
    expect(transition).toEqual({ kind: 'moved', from: 'loyal', to: 'at_risk', worsened: true });
    expect(record).toMatchObject({
      since: '2026-01-03',
      history: [{ name: 'loyal' }, { name: 'at_risk', since: '2026-01-03' }],
    });
    for (let i = 0; i < 20; i++)
      ({ record } = nextSegmentRecord(
        record,
        scored(i % 2 ? 'loyal' : 'lost', `2026-02-${String(i + 1).padStart(2, '0')}`),
      ));
    expect(record.history).toHaveLength(12);
    expect(record.history.at(-1)).toEqual({ name: 'loyal', since: '2026-02-20' });
  });
});
