/**
 * `npm run bench:churn-accuracy [-- --horizon 273] [--concurrency 16]`: how well the churn risk
 * predicts, measured the way issue 16 states the goal, through the real system. Prints figures
 * only: no assertions. CI does not run it.
 *
 * 1. The local stack (DynamoDB Local, the API gateway in this process: bench/support/stack.ts)
 *    and a custom-platform shop whose churn horizon is the holdout's length (39 weeks = 273
 *    days), so P(no purchase in the horizon) can be compared with what happened.
 * 2. Every CDNOW purchase of the calibration period (to 1997-09-30) as a signed `order.paid`
 *    webhook: customer = cohort id, one line worth the purchase's dollars.
 * 3. The nightly job for as of 1997-09-30 through `POST …/jobs/nightly`, polled to the end; its
 *    JSON export read through the download link.
 * 4. Against the 39-week holdout (1997-10-01 … 1998-06-30, from the same file): the AUC of
 *    `churnRisk` for "made no purchase", of the unrounded probability, and of days since the last
 *    purchase (the baseline); the predicted share with no purchase (the mean probability) against
 *    the actual share; the holdout return rate per segment; the model card.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { aucOf } from '../shared/domain/churn/backtest';
import { dayNumber } from '../shared/domain/churn/summary';
import { forEachLimited } from '../shared/domain/for-each-limited';
import { fmt, heading, keyValues, table } from './support/report';
import { createBenchShop, startStack } from './support/stack';

const log = (text = '') => console.log(text);
const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const settings = {
  horizonDays: Number(argValue('horizon') ?? 273),
  concurrency: Number(argValue('concurrency') ?? 16),
  calibrationEnd: '1997-09-30',
  holdoutEnd: '1998-06-30',
  file: new URL('../../shared/reference-data/cdnow/CDNOW_sample.txt', import.meta.url),
};

interface Purchase {
  cohortId: string;
  date: string;
  cents: number;
}

const loadCdnow = (): Purchase[] =>
  readFileSync(settings.file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [, cohortId, d, , dollars] = line.trim().split(/\s+/) as [string, string, string, string, string];
      return {
        cohortId: String(Number(cohortId)),
        date: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`,
        cents: Math.round(Number(dollars) * 100),
      };
    });

const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

interface ExportRow {
  customerId: string;
  platformCustomerId: string | null;
  segment: string;
  churnRisk: number;
  pNoPurchase: number;
}

const main = async () => {
  const purchases = loadCdnow();
  const calibration = purchases.filter((p) => p.date <= settings.calibrationEnd);
  const stack = await startStack();
  try {
    const { shop, webhookSecret } = await createBenchShop({ churn: { horizonDays: settings.horizonDays } }, 'custom');
    const operator = process.env.BOOMERANG_OPERATOR_KEY!;

    // ── webhooks ──
    const started = Date.now();
    let failed = 0;
    await forEachLimited(
      calibration.map((p, i) => ({ p, i })),
      settings.concurrency,
      async ({ p, i }) => {
        const body = JSON.stringify({
          id: `cdnow-${i}`,
          type: 'order.paid',
          createdAt: `${p.date}T12:00:00Z`,
          data: {
            id: `cdnow-${i}`,
            currency: 'USD',
            customer: { id: p.cohortId, email: `c${p.cohortId}@cdnow.example` },
            lines: [{ id: 'l1', productId: 'cd', quantity: 1, price: money(p.cents) }],
            total: money(p.cents),
          },
        });
        const send = () => {
          const t = Math.floor(Date.now() / 1000);
          const v1 = createHmac('sha256', webhookSecret).update(`${t}.${body}`).digest('hex');
          return fetch(`${stack.baseUrl}/webhooks/custom/${shop.id}`, {
            method: 'POST',
            body,
            headers: { 'content-type': 'application/json', 'boomerang-signature': `t=${t},v1=${v1}` },
          });
        };
        // A platform retries a 503 (the same customer's orders contending); so does this sender.
        let res = await send();
        for (let attempt = 1; res.status === 503 && attempt <= 20; attempt++) {
          await res.arrayBuffer();
          await new Promise((r) => setTimeout(r, 50 * attempt));
          res = await send();
        }
        if (!res.ok) {
          failed++;
          if (failed <= 3) log(`webhook ${i} → ${res.status} ${await res.text()}`);
        } else await res.arrayBuffer();
      },
    );
    const webhookMs = Date.now() - started;

    // ── the nightly job through the API ──
    const auth = { authorization: `Bearer ${operator}`, 'content-type': 'application/json' };
    const nightlyStarted = Date.now();
    const start = await fetch(`${stack.baseUrl}/admin/shops/${shop.id}/jobs/nightly`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ asOf: settings.calibrationEnd }),
    });
    const { jobId } = (await start.json()) as { jobId: string };
    let job: { status: string; result?: Record<string, unknown> & { export: { json: { url: string } } } };
    for (;;) {
      const res = await fetch(`${stack.baseUrl}/admin/shops/${shop.id}/jobs/${jobId}`, { headers: auth });
      job = (await res.json()) as typeof job;
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const nightlyMs = Date.now() - nightlyStarted;
    if (job.status !== 'succeeded') throw new Error(`nightly job ${job.status}: ${JSON.stringify(job)}`);
    const exported = (await (await fetch(job.result!.export.json.url)).json()) as { customers: ExportRow[] };

    // ── against the holdout ──
    const cal = dayNumber(settings.calibrationEnd);
    const lastBefore = new Map<string, number>();
    const boughtLater = new Set<string>();
    for (const p of purchases) {
      const day = dayNumber(p.date);
      if (day <= cal) lastBefore.set(p.cohortId, Math.max(lastBefore.get(p.cohortId) ?? -Infinity, day));
      else if (p.date <= settings.holdoutEnd) boughtLater.add(p.cohortId);
    }
    const rows = exported.customers.map((c) => ({
      ...c,
      noPurchase: !boughtLater.has(c.platformCustomerId!),
      daysSince: cal - lastBefore.get(c.platformCustomerId!)!,
    }));
    const none = rows.map((r) => r.noPurchase);
    const aucRisk = aucOf(
      rows.map((r) => r.churnRisk),
      none,
    );
    const aucProbability = aucOf(
      rows.map((r) => r.pNoPurchase),
      none,
    );
    const aucRecency = aucOf(
      rows.map((r) => r.daysSince),
      none,
    );
    const predictedShare = rows.reduce((s, r) => s + r.pNoPurchase, 0) / rows.length;
    const actualShare = none.filter(Boolean).length / rows.length;

    log(heading('CDNOW through webhooks and the nightly job'));
    log(
      keyValues([
        ['calibration purchases sent', `${calibration.length} (${failed} refused) in ${fmt(webhookMs / 1000, 1)} s`],
        ['customers scored', String(rows.length)],
        ['nightly job (API start to succeeded)', `${fmt(nightlyMs / 1000, 2)} s`],
        ['horizon', `${settings.horizonDays} days`],
        ['model', String((job.result!.model as { selected: string }).selected)],
      ]),
    );
    log(heading('Accuracy against the 39-week holdout'));
    log(
      keyValues([
        ['AUC, churn_risk (0–100)', fmt(aucRisk, 4)],
        ['AUC, p_no_purchase (4 decimals)', fmt(aucProbability, 4)],
        ['AUC, days since last purchase', fmt(aucRecency, 4)],
        [
          'goal: churn_risk ≥ recency + 0.02',
          `${fmt(aucRecency + 0.02, 4)}: ${aucRisk >= aucRecency + 0.02 ? 'met' : 'missed'}`,
        ],
        ['predicted share with no purchase', `${fmt(100 * predictedShare, 1)} %`],
        ['actual share with no purchase', `${fmt(100 * actualShare, 1)} %`],
        [
          'goal: within 3 points',
          `${fmt(100 * Math.abs(predictedShare - actualShare), 1)} points: ${Math.abs(predictedShare - actualShare) <= 0.03 ? 'met' : 'missed'}`,
        ],
      ]),
    );
    log(heading('Holdout return rate by segment (highest first)'));
    const bySegment = new Map<string, { n: number; returned: number; risk: number }>();
    for (const r of rows) {
      const s = bySegment.get(r.segment) ?? { n: 0, returned: 0, risk: 0 };
      s.n++;
      s.risk += r.churnRisk;
      if (!r.noPurchase) s.returned++;
      bySegment.set(r.segment, s);
    }
    log(
      table(
        ['segment', 'customers', 'returned', 'return rate', 'mean churn risk'],
        [...bySegment.entries()]
          .sort(([, a], [, b]) => b.returned / b.n - a.returned / a.n)
          .map(([name, s]) => [
            name,
            String(s.n),
            String(s.returned),
            `${fmt((100 * s.returned) / s.n, 1)} %`,
            fmt(s.risk / s.n, 1),
          ]),
      ),
    );
    log(heading('Model card (job result)'));
    log(JSON.stringify((job.result!.model as { card: unknown }).card, null, 2));
  } finally {
    await stack.close();
  }
};

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
