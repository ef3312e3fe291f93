import { describe, expect, it } from 'vitest';
import { nightlyEmail } from '../../../shared/app/nightly/email';
import { jobErrorOf } from '../../../shared/app/nightly/fail';
import type { NightlyResult } from '../../../shared/app/ports/nightly';
import { emptySegmentCounts } from '../../../shared/app/nightly/score';
import { loyaltyMetrics } from '../../../shared/domain/churn/metrics';
import { dayMetrics } from '../../../shared/domain/metrics/day-metrics';
import { testShop } from '../../support/memory-nightly';

const result: NightlyResult = {
  asOf: '2026-03-31',
  model: {
    bgnbd: { r: 1, alpha: 2, a: 3, b: 4, timeUnit: 'day', logLikelihood: -5 },
    gammaGamma: { p: 1, q: 2, v: 3 },
    customers: 1,
    selected: 'heuristic',
    horizonDays: 90,
    card: {
      model: 'heuristic',
      horizonDays: 90,
      reason: 'history_too_short',
      note: '1 customers before the back-test cutoff',
      backtest: null,
    },
  },
  segments: { ...emptySegmentCounts(), loyal: 3, lost: 1 },
  metrics: loyaltyMetrics({
    customers: [
      {
        orders: [{ at: 'x', revenueMinor: 12_345, productIds: [], referred: false }],
        pointsAvailable: 5,
        pointsPending: 0,
        predictedValue12mMinor: 999.6,
      },
    ],
    pointValueMinor: { valueMinor: 1, points: 1 },
    npsAnswers: [10],
  }),
  export: {
    csv: {
      key: 'exports/s/2026-03-31/customers.csv',
      url: 'https://x.example/c.csv?a=1&b=2',
      expiresAt: '2026-04-01T01:00:00.000Z',
    },
    json: {
      key: 'exports/s/2026-03-31/customers.json',
      url: 'https://x.example/c.json',
      expiresAt: '2026-04-01T01:00:00.000Z',
    },
  },
};

describe('nightly e-mail', () => {
  it('has the subject, segment counts, key figures and links, HTML-escaped', () => {
    const m = nightlyEmail(testShop({ name: 'Tea & <Co>', locale: 'en-GB' }), result);
    expect(m.subject).toBe('Boomerang nightly segments — Tea & <Co> — 2026-03-31');
    expect(m).toMatchObject({ from: 'hello@shop.example.com', to: ['marketing@shop.example.com'] });
    expect(m.text).toMatch(/Loyal\s+3/);
    expect(m.text).toMatch(/Revenue counted\s+123\.45 DKK/);
    expect(m.text).toMatch(/Average predicted 12-month value\s+10\.00 DKK/);
    expect(m.text).toContain('https://x.example/c.csv?a=1&b=2');
    expect(m.text).toContain('2026-04-01 01:00:00 UTC');
    expect(m.html).toContain('Tea &amp; &lt;Co&gt;');
    expect(m.html).toContain('href="https://x.example/c.csv?a=1&amp;b=2"');
    expect(m.html).not.toContain('<Co>');
  });

  it('shows the loyalty metrics kept over time: NPS, loyalty index, repeat, multi-product and engagement rates', () => {
    const loyalty = dayMetrics({
      asOf: '2026-03-31',
      customers: [
        {
          cid: 'a',
          orders: [
            { at: '2026-03-01T10:00:00Z', revenueMinor: 100, productIds: ['p1'], referred: false },
            { at: '2026-03-02T10:00:00Z', revenueMinor: 100, productIds: ['p2'], referred: false },
          ],
          engagedDays: ['2026-03-30'],
          member: false,
        },
        {
          cid: 'b',
          orders: [{ at: '2026-03-01T10:00:00Z', revenueMinor: 100, productIds: ['p1'], referred: false }],
          member: false,
        },
      ],
      answers: [{ cid: 'a', score: 10, buyAgain: 8, tryOther: 6 }],
    });
    const m = nightlyEmail(testShop(), { ...result, loyalty });
    expect(m.text).toMatch(/NPS\s+100 \(1 answers\)/);
    // 10 × (10 + 8 + 6) / 3.
    expect(m.text).toMatch(/Customer Loyalty Index\s+80 \(1 answers\)/);
    expect(m.text).toMatch(/Repeat rate of active customers\s+50\.0 % \(1 of 2 who bought in 365 days\)/);
    expect(m.text).toMatch(/Repeat buyers with several products\s+100\.0 % \(1 of 1\)/);
    expect(m.text).toMatch(/Engagement rate\s+50\.0 % \(1 active beyond purchases in 90 days\)/);
    expect(m.html).toContain('Customer Loyalty Index');
    // A result from before the metrics were kept shows none of them.
    expect(nightlyEmail(testShop(), result).text).not.toContain('Customer Loyalty Index');
  });

  it('uses Danish segment names for a Danish shop and mentions a fallback', () => {
    const m = nightlyEmail(testShop({ locale: 'da-DK' }), {
      ...result,
      model: { ...result.model, selected: 'bgnbd', fallback: { bgnbd: 'too_few_customers', gammaGamma: null } },
    });
    expect(m.text).toMatch(/Loyale\s+3/);
    expect(m.text).toContain('default parameters');
    // The heuristic uses no parameters: a BG/NBD fallback behind it is not news for the marketer.
    const heuristic = nightlyEmail(testShop(), {
      ...result,
      model: { ...result.model, fallback: { bgnbd: 'too_few_customers', gammaGamma: null } },
    });
    expect(heuristic.text).not.toContain('default parameters');
    expect(heuristic.text).toContain('history too short to judge a model');
  });
});

describe('jobErrorOf', () => {
  it('reads thrown errors, Step Functions errors and strings', () => {
    expect(jobErrorOf(new RangeError('bad'))).toEqual({ code: 'RangeError', message: 'bad' });
    expect(
      jobErrorOf({
        Error: 'Error',
        Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'Job data x is missing', trace: [] }),
      }),
    ).toEqual({ code: 'Error', message: 'Job data x is missing' });
    expect(jobErrorOf({ Error: 'States.Timeout', Cause: 'Task timed out' })).toEqual({
      code: 'States.Timeout',
      message: 'Task timed out',
    });
    expect(jobErrorOf('boom')).toEqual({ code: 'Error', message: 'boom' });
    expect(jobErrorOf(undefined)).toEqual({ code: 'Error', message: 'The nightly run failed' });
    expect(jobErrorOf(new Error('x'.repeat(5000))).message).toHaveLength(1000);
  });
});
