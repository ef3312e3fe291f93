/**
 * `npm run bench:nightly`: what the nightly churn-risk segments cost in CPU, for the pure model
 * code in shared/domain/churn. Prints figures only: no assertions, and a missed goal is
 * reported, not failed.
 *
 * 1. Fit: BG/NBD and Gamma-Gamma maximum likelihood on synthetic shops of 10k / 100k / 1M
 *    customers simulated from the models at CDNOW-like parameters (seeded, reproducible).
 *    Goal: 100k customers fitted in under 2 s.
 * 2. Recovery: the fitted parameters against the ones the shops were simulated with.
 * 3. Scoring: P(alive), E[X(90 days)] and the 12-month value for 1M customers.
 *    Goal: under 2 s.
 *
 * Everything runs on the main thread — one core, as in a Lambda with one vCPU's worth of work.
 */
import { cpus, loadavg } from 'node:os';
import {
  CDNOW_BGNBD_PUBLISHED,
  fitBgNbd,
  groupBgNbdObservations,
  inTimeUnit,
  type BgNbdFit,
} from '../shared/domain/churn/bgnbd';
import { fitGammaGamma, groupSpendObservations, type GammaGammaFit } from '../shared/domain/churn/gamma-gamma';
import { rfmScores } from '../shared/domain/churn/rfm';
import { scoreCustomers, type ScoreInput } from '../shared/domain/churn/score';
import { simulateShop, type SyntheticShop } from './support/nightly-shop';
import { fmt, heading, keyValues, median, table } from './support/report';

const settings = {
  sizes: [10_000, 100_000, 1_000_000],
  /** Timed fits per size (median reported); the 1M fit runs once. */
  repeats: { 10_000: 5, 100_000: 3, 1_000_000: 1 } as Record<number, number>,
  seed: 20_260_701,
  acquisitionDays: 730,
  asOfDay: 20_000,
  goals: { fit100kMs: 2_000, score1MMs: 2_000 },
  truth: {
    // CDNOW's published BG/NBD (FHL 2005) with α in days, and its Gamma-Gamma in cents.
    purchases: inTimeUnit(CDNOW_BGNBD_PUBLISHED, 'days'),
    spend: { p: 6.25, q: 3.74, v: 1_544 },
  },
} as const;

const log = (text = '') => console.log(text);
const ms = (v: number) => `${fmt(v, v < 100 ? 1 : 0)} ms`;
const timed = <T>(f: () => T): [T, number] => {
  const start = performance.now();
  const value = f();
  return [value, performance.now() - start];
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

interface SizeResult {
  customers: number;
  shop: SyntheticShop;
  simulateMs: number;
  groupMs: number;
  groups: number;
  repeatBuyers: number;
  bgnbd: BgNbdFit;
  bgnbdMs: number;
  spendGroups: number;
  gammaGamma: GammaGammaFit;
  gammaGammaMs: number;
}

const spendInputs = (shop: SyntheticShop) =>
  shop.summaries
    .filter((s) => s.frequency > 0)
    .map((s) => ({ frequency: s.frequency, averageValue: s.averageRepeatValueMinor! }));

/** Fit both models on one shop; grouping is part of the fit time (the nightly job starts from summaries). */
const fitShop = (customers: number): SizeResult => {
  const [shop, simulateMs] = timed(() =>
    simulateShop(customers, settings.truth, {
      seed: settings.seed,
      acquisitionDays: settings.acquisitionDays,
      asOfDay: settings.asOfDay,
    }),
  );
  const runs: {
    groupMs: number;
    bgnbdMs: number;
    gammaGammaMs: number;
    bgnbd: BgNbdFit;
    gammaGamma: GammaGammaFit;
    groups: number;
    spendGroups: number;
  }[] = [];
  for (let i = 0; i < (settings.repeats[customers] ?? 1); i++) {
    const [groups, groupMs] = timed(() => groupBgNbdObservations(shop.summaries));
    const [bgnbd, fitMs] = timed(() => fitBgNbd(groups, { timeUnit: 'days' }));
    const [gammaGamma, gammaGammaMs] = timed(() => {
      const g = groupSpendObservations(spendInputs(shop));
      return { fit: fitGammaGamma(g), groups: g.groups };
    });
    runs.push({
      groupMs,
      bgnbdMs: groupMs + fitMs,
      gammaGammaMs,
      bgnbd,
      gammaGamma: gammaGamma.fit,
      groups: groups.groups,
      spendGroups: gammaGamma.groups,
    });
  }
  const last = runs[runs.length - 1]!;
  return {
    customers,
    shop,
    simulateMs,
    groupMs: median(runs.map((r) => r.groupMs)),
    groups: last.groups,
    repeatBuyers: last.bgnbd.repeatBuyers,
    bgnbd: last.bgnbd,
    bgnbdMs: median(runs.map((r) => r.bgnbdMs)),
    spendGroups: last.spendGroups,
    gammaGamma: last.gammaGamma,
    gammaGammaMs: median(runs.map((r) => r.gammaGammaMs)),
  };
};

const main = () => {
  log(heading('Nightly churn models — CPU bench'));
  log(
    keyValues([
      ['cpu', `${cpus()[0]?.model ?? 'unknown'} (${cpus().length} cores; this bench uses one)`],
      ['node', process.version],
      [
        'load average at start',
        `${load()} (1 / 5 / 15 min) — another process (e.g. a CI run) may be using the CPU; timings are wall-clock`,
      ],
      [
        'truth (BG/NBD, days)',
        `r ${settings.truth.purchases.r}, α ${fmt(settings.truth.purchases.alpha, 3)}, a ${settings.truth.purchases.a}, b ${settings.truth.purchases.b}  (CDNOW, FHL 2005; α = 4.414 weeks × 7)`,
      ],
      [
        'truth (Gamma-Gamma, cents)',
        `p ${settings.truth.spend.p}, q ${settings.truth.spend.q}, γ ${settings.truth.spend.v}  (CDNOW, FHL 2005 JMR; γ = $15.44)`,
      ],
      [
        'synthetic shop',
        `first purchases uniform over ${settings.acquisitionDays} days before the as-of day; continuous-time purchases summarised to calendar days (same-day merged); seed ${settings.seed}`,
      ],
    ]),
  );

  // JIT warm-up on a small shop, so the first timed size is not also measuring compilation.
  fitShop(2_000);

  const results: SizeResult[] = [];
  for (const n of settings.sizes) results.push(fitShop(n));

  log(heading('1. Fit (maximum likelihood, one core)'));
  log(
    table(
      [
        'customers',
        'repeat buyers',
        'distinct (x,t_x,T)',
        'BG/NBD fit',
        'of which grouping',
        'iterations',
        'spend groups',
        'Gamma-Gamma fit',
        'both',
        'simulate+summarise',
      ],
      results.map((r) => [
        fmt(r.customers),
        fmt(r.repeatBuyers),
        fmt(r.groups),
        ms(r.bgnbdMs),
        ms(r.groupMs),
        fmt(r.bgnbd.iterations),
        fmt(r.spendGroups),
        ms(r.gammaGammaMs),
        ms(r.bgnbdMs + r.gammaGammaMs),
        ms(r.simulateMs),
      ]),
      ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  );
  const r100k = results.find((r) => r.customers === 100_000)!;
  const fit100k = r100k.bgnbdMs + r100k.gammaGammaMs;
  log(
    `\nGoal: 100k customers fitted (both models) in < ${fmt(settings.goals.fit100kMs)} ms — ${fit100k < settings.goals.fit100kMs ? 'met' : 'MISSED'} (${ms(fit100k)}).`,
  );
  log('Times are medians over repeated fits (10k ×5, 100k ×3, 1M ×1) and include grouping the summaries.');

  log(heading('2. Recovered parameters vs truth'));
  const t = settings.truth;
  const row = (name: string, truth: number, get: (r: SizeResult) => number, digits: number) => [
    name,
    fmt(truth, digits),
    ...results.map(
      (r) => `${fmt(get(r), digits)} (${get(r) >= truth ? '+' : ''}${fmt((100 * (get(r) - truth)) / truth, 1)} %)`,
    ),
  ];
  log(
    table(
      ['parameter', 'truth', ...results.map((r) => `${fmt(r.customers)} customers`)],
      [
        row('r', t.purchases.r, (r) => r.bgnbd.r, 4),
        row('α (days)', t.purchases.alpha, (r) => r.bgnbd.alpha, 3),
        row('a', t.purchases.a, (r) => r.bgnbd.a, 4),
        row('b', t.purchases.b, (r) => r.bgnbd.b, 4),
        row('p', t.spend.p, (r) => r.gammaGamma.p, 4),
        row('q', t.spend.q, (r) => r.gammaGamma.q, 4),
        row('γ (cents)', t.spend.v, (r) => r.gammaGamma.v, 1),
      ],
      ['l', 'r', 'r', 'r', 'r'],
    ),
  );
  const big = results[results.length - 1]!;
  log(
    `\nconverged: ${results.map((r) => `${fmt(r.customers)} ${r.bgnbd.converged && r.gammaGamma.converged ? 'yes' : 'NO'}`).join(', ')}. ` +
      `Same-day purchases merged by the summary: ${fmt((100 * big.shop.sameDayPurchases) / big.shop.purchases, 2)} % of all purchases (1M shop).`,
  );
  log(
    'The simulation is in continuous time; the summaries count calendar days, as the nightly job will. The purchases merged on\n' +
      'days already bought on come mostly from the heaviest buyers, so day-level fits read a slightly lower purchase rate than the\n' +
      'continuous truth (r/α): expect r and α a few per cent high even at 1M customers. (The unit tests recover the truth from\n' +
      'continuous-time data within sampling error.)',
  );

  log(heading('3. Scoring 1M customers (P(alive), E[X(90 d)], 12-month value)'));
  const model = { purchases: big.bgnbd, spend: big.gammaGamma };
  const inputs: ScoreInput[] = big.shop.summaries.map((s) => ({
    frequency: s.frequency,
    recency: s.recency,
    age: s.age,
    averageRepeatValue: s.averageRepeatValueMinor,
  }));
  scoreCustomers(model, inputs.slice(0, 20_000)); // warm-up
  const scoreRuns = [0, 1, 2].map(() => timed(() => scoreCustomers(model, inputs)));
  const [scores] = scoreRuns[0]!;
  const scoreMs = median(scoreRuns.map(([, m]) => m));
  const [, discountedMs] = timed(() => scoreCustomers(model, inputs, { discount: { annualRate: 0.1, periods: 12 } }));
  const [, rfmMs] = timed(() =>
    rfmScores(
      big.shop.summaries.map((s) => ({
        timeSinceLastPurchase: s.daysSinceLastPurchase,
        frequency: s.purchaseDays,
        monetary: s.averageValueMinor,
      })),
    ),
  );
  const meanOf = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;
  log(
    table(
      ['scoring', 'time', 'customers / s', 'distinct (x, T) computed'],
      [
        [
          'P(alive) + E[X(90 d)] + 12-month value, undiscounted (default)',
          ms(scoreMs),
          fmt(inputs.length / (scoreMs / 1_000)),
          fmt(scores.distinctFrequencyAge),
        ],
        [
          '… value discounted monthly at 10 % a year (12 periods)',
          ms(discountedMs),
          fmt(inputs.length / (discountedMs / 1_000)),
          fmt(scores.distinctFrequencyAge),
        ],
        ['RFM quintile scores (recency, frequency, monetary)', ms(rfmMs), fmt(inputs.length / (rfmMs / 1_000)), '—'],
      ],
      ['l', 'r', 'r', 'r'],
    ),
  );
  log(
    `\nGoal: 1M customers scored in < ${fmt(settings.goals.score1MMs)} ms — ${scoreMs < settings.goals.score1MMs ? 'met' : 'MISSED'} (${ms(scoreMs)}, median of 3).`,
  );
  log(
    `Means over the 1M: P(alive) ${fmt(meanOf(scores.probabilityAlive), 3)}, E[X(90 d)] ${fmt(meanOf(scores.expectedPurchases), 4)}, ` +
      `12-month value ${fmt(meanOf(scores.expectedValue) / 100, 2)} (currency units).`,
  );

  log(heading('Not measured yet'));
  log(
    "End-to-end nightly run against DynamoDB (reading each shop's ledger into summaries, writing segments) — comes with the\n" +
      'nightly job itself; this bench covers the pure model code only.',
  );
  log(`\nload average at end: ${load()}`);
};

main();
