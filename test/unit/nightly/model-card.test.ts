import { describe, expect, it } from 'vitest';
import type { NightlyJob } from '../../../shared/app/ports/nightly';
import { readModelFile } from '../../../shared/app/nightly/fit';
import { runInProcess } from '../../../shared/app/nightly/run';
import { seededRandom, simulateCustomer } from '../../../shared/domain/churn/simulate';
import { defaultProgram } from '../../../shared/schemas/program';
import { customer, memoryNightly, paidOrder, testShop, type MemoryNightly } from '../../support/memory-nightly';

/**
 * The model card and the probability behind the churn risk, through the pipeline: the back-test
 * runs on the shop's own orders, its choice scores the customers, and the export, the segment
 * items, the e-mail and win-back read the same probability.
 */

const isoOf = (day: number) => new Date(day * 86_400_000 + 10 * 3_600_000).toISOString();
const asOf = '2026-03-31';
const asOfDay = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000;

/** Customers from the MBG/NBD process (many leave after the first order), acquired over a year. */
const seedShop = (m: MemoryNightly, shopId: string, customers: number) => {
  const random = seededRandom(42);
  const model = { purchases: { r: 2, alpha: 80, a: 2, b: 1, timeUnit: 'days' as const }, dropoutAfterFirst: true };
  for (let i = 0; i < customers; i++) {
    const cid = `i.c${String(i).padStart(4, '0')}`;
    const first = asOfDay - 540 + Math.floor(random() * 360);
    const sim = simulateCustomer(random, model, first, asOfDay);
    m.store.add(shopId, { kind: 'customer', customer: customer(cid) });
    sim.purchases.forEach((p, k) =>
      m.store.add(shopId, { kind: 'order', order: paidOrder(cid, `${cid}-${k}`, isoOf(p.day), 5_000 + 100 * k) }),
    );
  }
};

/** 80 customers who bought every 10–30 days for most of a year, up to a few days before the as-of day. */
const seedRegulars = (m: MemoryNightly, shopId: string) => {
  const random = seededRandom(9);
  for (let i = 0; i < 80; i++) {
    const cid = `i.r${String(i).padStart(3, '0')}`;
    m.store.add(shopId, { kind: 'customer', customer: customer(cid) });
    const every = 10 + Math.floor(random() * 20);
    for (let day = asOfDay - 330 + i, k = 0; day <= asOfDay - 2; day += every, k++)
      m.store.add(shopId, { kind: 'order', order: paidOrder(cid, `${cid}-${k}`, isoOf(day), 4_000 + 50 * k) });
  }
};

const run = async (m: MemoryNightly, shopId: string, day = asOf): Promise<NightlyJob> => {
  const input = { shopId, jobId: `job-${day}`, asOf: day, totalSegments: 2 };
  const at = m.deps.clock.now().toISOString();
  await m.deps.store.createJob({ ...input, trigger: 'api', status: 'running', createdAt: at, updatedAt: at });
  return runInProcess(m.deps, input);
};

describe('a model file written before the probability', () => {
  it('reads as BG/NBD over the default horizon, so a run spanning a deploy finishes', async () => {
    const m = memoryNightly(testShop());
    const old = { currency: 'DKK', purchases: { r: 1, alpha: 2, a: 3, b: 4, timeUnit: 'days' }, spend: {}, result: {} };
    await m.sink.sink.put('jobs/x/model.json', JSON.stringify(old), 'application/json');
    expect(await readModelFile(m.sink.sink, 'jobs/x/model.json')).toMatchObject({ kind: 'bgnbd', horizonDays: 90 });
  });
});

describe('the nightly model card', () => {
  it('back-tests, picks the model that fits the shop, and scores the risk as its probability of no purchase', async () => {
    const program = defaultProgram();
    const shop = testShop({ program: { ...program, churn: { horizonDays: 60 } } });
    const m = memoryNightly(shop);
    seedShop(m, shop.id, 600);
    const job = await run(m, shop.id);
    expect(job.status).toBe('succeeded');
    const model = job.result!.model;
    expect(model).toMatchObject({ selected: 'mbgnbd', horizonDays: 60, mbgnbd: { timeUnit: 'day' } });
    expect(model.card).toMatchObject({ model: 'mbgnbd', reason: 'best_log_loss', horizonDays: 60 });
    const bt = model.card.backtest!;
    expect(bt).toMatchObject({ cutoff: '2026-01-30', windowDays: 60, shortened: false });
    expect(bt.candidates.map((c) => c.model)).toEqual(['bgnbd', 'mbgnbd']);
    expect(bt.calibration.length).toBe(10);

    // The export carries the probability and the horizon; the risk is 100 × it, rounded.
    const csv = m.sink.files.get(job.result!.export.csv.key)!.body.split('\r\n').filter(Boolean);
    const header = csv[0]!.split(',');
    expect(header.slice(-3)).toEqual(['p_no_purchase_60d', 'horizon_days', 'engagement']);
    for (const line of csv.slice(1)) {
      const f = line.split(',');
      const p = Number(f[header.indexOf('p_no_purchase_60d')]);
      // The risk rounds the unrounded probability; the file shows it to 4 decimals.
      expect(Math.abs(Number(f[header.indexOf('churn_risk')]) - 100 * p)).toBeLessThanOrEqual(0.505);
      expect(f[header.indexOf('horizon_days')]).toBe('60');
    }
    const json = JSON.parse(m.sink.files.get(job.result!.export.json.key)!.body);
    expect(json.meta).toMatchObject({ horizonDays: 60, model: 'mbgnbd' });
    expect(json.customers[0]).toMatchObject({ horizonDays: 60, pNoPurchase: expect.any(Number) });
    const stored = [...m.store.segments.values()][0]!;
    expect(stored).toMatchObject({ horizonDays: 60, pNoPurchase: expect.any(Number) });

    // Tomorrow's incumbent; a replay of an earlier day does not move it.
    expect(m.store.choices.get(shop.id)).toEqual({ model: 'mbgnbd', asOf });
    await m.deps.store.putModelChoice(shop.id, { model: 'bgnbd', asOf: '2026-03-01' });
    expect(m.store.choices.get(shop.id)).toEqual({ model: 'mbgnbd', asOf });

    // The marketers' e-mail shows the card.
    const text = m.mail.sent[0]!.text;
    expect(text).toContain('P(no purchase in the next 60 days), from MBG/NBD');
    expect(text).toMatch(
      /Ranking of who bought \(AUC\)\s+0\.\d{3} \(days since last purchase: 0\.\d{3}; BG\/NBD: 0\.\d{3}\)/,
    );
    expect(text).toMatch(/By risk decile, predicted \/ actual no purchase\s+(\d+\/\d+ ){9}\d+\/\d+/);
  });

  it('says when the history is too short, and ranks by days since the last purchase then', async () => {
    const shop = testShop();
    const m = memoryNightly(shop);
    m.store.add(
      shop.id,
      { kind: 'customer', customer: customer('i.a') },
      { kind: 'order', order: paidOrder('i.a', 'a1', '2026-03-01T10:00:00.000Z', 5_000) },
      { kind: 'customer', customer: customer('i.b') },
      { kind: 'order', order: paidOrder('i.b', 'b1', '2026-03-29T10:00:00.000Z', 5_000) },
    );
    const job = await run(m, shop.id);
    expect(job.result!.model).toMatchObject({
      selected: 'heuristic',
      card: { model: 'heuristic', reason: 'history_too_short', backtest: null, note: expect.any(String) },
    });
    const risk = (cid: string) => [...m.store.segments.values()].find((s) => s.cid === cid)!.churnRisk.score;
    expect(risk('i.a')).toBeGreaterThan(risk('i.b'));
    expect(m.mail.sent[0]!.text).toContain('history too short to judge a model');
  });

  it("puts a shop's only customer, three orders in three days, in a healthy segment with a low risk (the issue's case)", async () => {
    const shop = testShop();
    const m = memoryNightly(shop);
    m.store.add(shop.id, { kind: 'customer', customer: customer('i.only') });
    for (const [k, day] of ['2026-03-29', '2026-03-30', '2026-03-31'].entries())
      m.store.add(shop.id, { kind: 'order', order: paidOrder('i.only', `o${k}`, `${day}T09:00:00.000Z`, 12_000) });
    const job = await run(m, shop.id);
    expect(job.result!.model.selected).toBe('heuristic');
    const only = [...m.store.segments.values()][0]!;
    expect(only.churnRisk.band).toBe('low');
    expect(['loyal', 'potential_loyalist', 'champions']).toContain(only.name);
  });

  it('enters win-back when the probability crosses its threshold, which wins over the 0–100 one', async () => {
    const program = defaultProgram();
    const crossings = async (winback: Partial<typeof program.winback>) => {
      const shop = testShop({ program: { ...program, winback: { ...program.winback, ...winback } } });
      const m = memoryNightly(shop);
      seedRegulars(m, shop.id);
      const started: string[] = [];
      m.deps.winback = { start: async (_s, cid) => (started.push(cid), { started: true }) };
      await run(m, shop.id);
      const before = new Map([...m.store.segments.values()].map((s) => [s.cid, s]));
      expect(started).toEqual([]);
      await run(m, shop.id, '2026-06-30');
      return { started, before, after: [...m.store.segments.values()] };
    };
    const byProbability = await crossings({ riskThreshold: 10, noPurchaseProbability: 0.5 });
    expect(byProbability.started.length).toBeGreaterThan(0);
    // Stored probabilities have 4 decimals; the threshold is applied to the unrounded ones.
    const clear = (p: number) => Math.abs(p - 0.5) > 1e-4;
    for (const s of byProbability.after) {
      const was = byProbability.before.get(s.cid)!.pNoPurchase!;
      if (clear(s.pNoPurchase!) && clear(was))
        expect(byProbability.started.includes(s.cid)).toBe(was < 0.5 && s.pNoPurchase! > 0.5);
    }
    const byScore = await crossings({ riskThreshold: 50, noPurchaseProbability: null });
    expect(byScore.started.length).toBeGreaterThan(0);
    for (const s of byScore.after) {
      const was = byScore.before.get(s.cid)!.churnRisk.score;
      expect(byScore.started.includes(s.cid)).toBe(was < 50 && s.churnRisk.score >= 50);
    }
  });
});
