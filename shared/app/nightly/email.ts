import { segmentLabel, segmentNames } from '../../domain/churn/segments';
import { formatMinor } from '../../domain/money/decimal';
import type { Shop } from '../../domain/shop';
import type { MailMessage } from '../ports/mailer';
import type { NightlyResult } from '../ports/nightly';
import type { ModelCard } from '../../domain/churn/backtest';
import type { DayMetrics } from '../../domain/metrics/day-metrics';

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const percent = (rate: number): string => `${(rate * 100).toFixed(1)} %`;

const modelNames: Record<ModelCard['model'], string> = {
  bgnbd: 'BG/NBD',
  mbgnbd: 'MBG/NBD',
  heuristic: 'days since the last purchase (heuristic)',
};

/** The model card as label/value rows: what the risk is, why this model, how well it predicted. */
export const modelCardRows = (card: ModelCard): (readonly [string, string])[] => {
  const rows: (readonly [string, string])[] = [
    ['Churn risk', `P(no purchase in the next ${card.horizonDays} days), from ${modelNames[card.model]}`],
  ];
  const bt = card.backtest;
  if (card.reason === 'history_too_short' || !bt) {
    rows.push(['Why', `history too short to judge a model (${card.note ?? 'no back-test'})`]);
    return rows;
  }
  // The back-test's choice; the card's model differs only when that one could not be refitted (note).
  const chosen = bt.candidates.find((c) => c.model === bt.best) ?? bt.candidates[0]!;
  const others = bt.candidates.filter((c) => c !== chosen);
  rows.push(
    [
      'Why',
      `${card.reason === 'kept_incumbent' ? "last night's model, as good" : 'best'} in a back-test: ` +
        `as of ${bt.cutoff}, predicting the next ${bt.windowDays} days` +
        `${bt.shortened ? ' (shortened: the history is shorter than two horizons)' : ''}, ${bt.customers} customers`,
    ],
    [
      'Ranking of who bought (AUC)',
      `${chosen.auc.toFixed(3)} (days since last purchase: ${bt.recencyAuc.toFixed(3)}` +
        `${others.map((o) => `; ${modelNames[o.model]}: ${o.auc.toFixed(3)}`).join('')})`,
    ],
    [
      'Customers with no purchase',
      `predicted ${percent(chosen.predictedNoPurchaseShare)}, actual ${percent(chosen.actualNoPurchaseShare)}`,
    ],
    ['Purchases in the window', `predicted ${Math.round(chosen.predictedPurchases)}, actual ${chosen.actualPurchases}`],
    [
      'By risk decile, predicted / actual no purchase',
      bt.calibration
        .map((b) => `${Math.round(100 * b.predictedNoPurchase)}/${Math.round(100 * b.actualNoPurchase)}`)
        .join(' '),
    ],
  );
  if (card.note) rows.push(['Note', card.note]);
  return rows;
};

/** Scores came from default parameters: a fallback of the model that scored (the heuristic uses none). */
const modelFellBack = (result: NightlyResult): boolean => {
  const f = result.model.fallback;
  if (!f || result.model.selected === 'heuristic') return f?.gammaGamma != null;
  return (result.model.selected === 'mbgnbd' ? f.mbgnbd : f.bgnbd) != null || f.gammaGamma != null;
};

/** The metrics kept over time (docs/metrics.md); none for a result computed before them. */
const loyaltyRows = (l: DayMetrics | undefined): (readonly [string, string])[] => {
  if (!l) return [];
  const cli = l.customerLoyaltyIndex;
  return [
    ['Customer Loyalty Index', cli.responses ? `${cli.score} (${cli.responses} answers)` : 'no survey answers yet'],
    [
      'Repeat rate of active customers',
      `${percent(l.repeatPurchaseRate)} (${l.repeatActiveCustomers} of ${l.activeCustomers} who bought in 365 days)`,
    ],
    [
      'Repeat buyers with several products',
      `${percent(l.multiProductRate)} (${l.multiProductRepeatBuyers} of ${l.repeatBuyers})`,
    ],
    ['Engagement rate', `${percent(l.engagementRate)} (${l.engagedCustomers} active beyond purchases in 90 days)`],
  ];
};

/**
 * The marketers' nightly e-mail: segment counts, key metrics and the export links. English
 * headings; segment names in the shop's locale where we have a label.
 */
export const nightlyEmail = (
  shop: Pick<Shop, 'name' | 'currency' | 'locale' | 'senderEmail' | 'marketerEmails'>,
  result: NightlyResult,
): MailMessage => {
  const money = (minor: number) => `${formatMinor(Math.round(minor), shop.currency)} ${shop.currency}`;
  const m = result.metrics;
  const segments = segmentNames.map(
    (name) => [segmentLabel(name, shop.locale), String(result.segments[name])] as const,
  );
  const metrics: (readonly [string, string])[] = [
    ['Customers with an order', `${m.buyers} of ${m.customers}`],
    ['Repeat purchase rate', percent(m.repeatPurchaseRate)],
    ['Bought more than one product', percent(m.multiProductShare)],
    ['Revenue counted', money(m.revenueMinor)],
    ['Revenue from referrals', `${money(m.referralRevenueMinor)} (${percent(m.referralRevenueShare)})`],
    ['Average predicted 12-month value', money(m.averagePredictedClvMinor)],
    ['Points liability', `${m.pointsLiability.points} points ≈ ${money(m.pointsLiability.valueMinor)}`],
    ['NPS', m.nps.responses ? `${m.nps.score} (${m.nps.responses} answers)` : 'no answers yet'],
    ...loyaltyRows(result.loyalty),
  ];
  const expires = result.export.csv.expiresAt
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC')
    .replace(/Z$/, ' UTC');
  const subject = `Boomerang nightly segments — ${shop.name} — ${result.asOf}`;

  const pad = (rows: readonly (readonly [string, string])[]) => {
    const width = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n');
  };
  const text = [
    `Customer segments for ${shop.name} as of ${result.asOf}.`,
    '',
    'Segments',
    pad(segments),
    '',
    'Key figures',
    pad(metrics),
    '',
    'Churn model',
    pad(result.model.card ? modelCardRows(result.model.card) : []),
    '',
    `Download the customer list (links valid until ${expires}):`,
    `  CSV:  ${result.export.csv.url}`,
    `  JSON: ${result.export.json.url}`,
    '',
    modelFellBack(result)
      ? "Note: too little purchase history to fit this shop's own models yet; scores use default parameters.\n"
      : '',
    '— Boomerang',
  ].join('\n');

  const table = (title: string, rows: readonly (readonly [string, string])[]) =>
    [
      `<h2 style="font-size:16px;margin:24px 0 8px">${escapeHtml(title)}</h2>`,
      '<table style="border-collapse:collapse">',
      ...rows.map(
        ([k, v]) =>
          `<tr><td style="padding:2px 16px 2px 0">${escapeHtml(k)}</td><td style="padding:2px 0;text-align:right">${escapeHtml(v)}</td></tr>`,
      ),
      '</table>',
    ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;font-size:14px">',
    `<p>Customer segments for <strong>${escapeHtml(shop.name)}</strong> as of ${escapeHtml(result.asOf)}.</p>`,
    table('Segments', segments),
    table('Key figures', metrics),
    result.model.card ? table('Churn model', modelCardRows(result.model.card)) : '',
    `<p>Download the customer list: <a href="${escapeHtml(result.export.csv.url)}">CSV</a> · <a href="${escapeHtml(result.export.json.url)}">JSON</a> (valid until ${escapeHtml(expires)}).</p>`,
    modelFellBack(result)
      ? "<p><em>Too little purchase history to fit this shop's own models yet; scores use default parameters.</em></p>"
      : '',
    '<p>— Boomerang</p>',
    '</body></html>',
  ].join('\n');
  return { from: shop.senderEmail, to: [...shop.marketerEmails], subject, html, text };
};
