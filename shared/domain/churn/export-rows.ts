/**
 * The churn-segment export: one row per customer, as CSV (RFC 4180) or JSON.
 *
 * CSV:
 * - Columns in the fixed order of `csvColumns`; `csvHeader` is that line. `toCsvRows` gives rows
 *   without a header, each ending in CRLF, so the job can write one part per scan segment and
 *   concatenate `csvHeader` + parts; `toCsv` is exactly that for one batch.
 * - A field with a comma, a double quote, CR or LF is quoted, quotes doubled. Line ends are CRLF.
 *   No byte-order mark (add one when writing if the file is meant for Excel).
 * - Formula injection (OWASP "CSV injection"): a cell starting with `=`, `+`, `-`, `@`, tab or
 *   CR gets a leading apostrophe, so a spreadsheet shows it as text instead of evaluating it
 *   (`=HYPERLINK(…)` in an e-mail address or platform id). Plain numbers we format ourselves
 *   ("-25" points after a claw-back) are left alone: they cannot evaluate. So that a program
 *   can undo this exactly, a cell that itself starts with an apostrophe gets one more: reading
 *   back, strip one leading `'` from any text cell (ids, e-mail, tier) that has one.
 * - Money (predicted_value_12m) is a decimal string with the currency's exponent (formatMinor);
 *   P(alive), expected purchases and P(no purchase) have 4 decimals; churn_risk is the 0–100
 *   integer, round(100 · P(no purchase in the horizon)).
 * - The last two columns name the horizon: `p_no_purchase_<H>d` (its name carries H, e.g.
 *   `p_no_purchase_90d`) and `horizon_days` (H again, for programs that read by position).
 *   They were added after the first 17, so readers of the old layout keep working.
 * - `engagement` (added with issue 15) comes after them: the customer's 0–100 engagement score
 *   from non-purchase activity in the 90 days up to the as-of day (shared/domain/metrics/engagement.ts).
 *
 * Redaction: a customer with `redactedAt` has an empty e-mail (and no other personal data is in
 * a row); ids, scores and points stay, as they do on the redacted customer record.
 */
import { isCurrencyCode } from '../money/currencies';
import { formatMinor } from '../money/decimal';
import { DEFAULT_HORIZON_DAYS, type ChurnRisk, type RiskBand } from './risk';
import type { SegmentName } from './segments';
import type { MembershipState } from '../ledger/customer';

/** What the export reads from a customer record (CustomerRecord fits). */
export interface ExportCustomer {
  cid: string;
  platformCustomerId?: string;
  email?: string;
  redactedAt?: string;
  points: { available: number; pending: number };
  tier?: string;
  /** For the engagement score and metrics (not a column of its own). */
  engagedDays?: string[];
  /** For the members' metrics (not exported). */
  membership?: MembershipState;
}

/** One customer's model scores. */
export interface ExportScores {
  pAlive: number;
  expectedPurchases90d: number;
  /** Minor units of `currency`, may be fractional (a model output): rounded half up here. */
  predictedValue12mMinor: number;
  /** The shop's currency, ISO 4217. */
  currency: string;
  rfm: { r: number; f: number; m: number };
  /** P(no purchase in the next `horizonDays`), the churn risk's probability. */
  pNoPurchase: number;
  horizonDays: number;
  /** The customer's engagement score, 0–100 (shared/domain/metrics/engagement.ts); 0 when absent. */
  engagement?: number;
}

export interface ExportRow {
  customerId: string;
  platformCustomerId: string;
  /** Empty when unknown or redacted. */
  email: string;
  redacted: boolean;
  segment: SegmentName;
  churnRisk: number;
  churnBand: RiskBand;
  /** Rounded to 4 decimals. */
  pAlive: number;
  /** Rounded to 4 decimals. */
  expectedPurchases90d: number;
  predictedValue12mMinor: number;
  currency: string;
  rfm: { r: number; f: number; m: number };
  /** Empty without a tier. */
  tier: string;
  pointsBalance: number;
  pointsPending: number;
  /** Rounded to 4 decimals. */
  pNoPurchase: number;
  horizonDays: number;
  /** 0–100. */
  engagement: number;
}

const DECIMALS = 4;

/** 4 decimals as text; the JSON number is read back from the same text, so both agree. */
const fixed4 = (v: number): string => v.toFixed(DECIMALS);
const round4 = (v: number): number => Number(fixed4(v));

export const exportRow = (
  customer: ExportCustomer,
  scores: ExportScores,
  segment: SegmentName,
  risk: ChurnRisk,
): ExportRow => {
  const { pAlive, expectedPurchases90d, predictedValue12mMinor: value } = scores;
  if (!(Number.isFinite(pAlive) && pAlive >= 0 && pAlive <= 1))
    throw new RangeError(`pAlive must be in [0, 1], got ${pAlive}`);
  if (!(Number.isFinite(expectedPurchases90d) && expectedPurchases90d >= 0))
    throw new RangeError(`expectedPurchases90d must be ≥ 0, got ${expectedPurchases90d}`);
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`predictedValue12mMinor must be ≥ 0, got ${value}`);
  if (!(Number.isFinite(scores.pNoPurchase) && scores.pNoPurchase >= 0 && scores.pNoPurchase <= 1))
    throw new RangeError(`pNoPurchase must be in [0, 1], got ${scores.pNoPurchase}`);
  if (!(Number.isInteger(scores.horizonDays) && scores.horizonDays > 0))
    throw new RangeError(`horizonDays must be a positive integer, got ${scores.horizonDays}`);
  const engagement = scores.engagement ?? 0;
  if (!(Number.isInteger(engagement) && engagement >= 0 && engagement <= 100))
    throw new RangeError(`engagement must be an integer 0–100, got ${engagement}`);
  if (!isCurrencyCode(scores.currency)) throw new RangeError(`Not an ISO 4217 currency code: ${scores.currency}`);
  const redacted = customer.redactedAt !== undefined;
  return {
    customerId: customer.cid,
    platformCustomerId: customer.platformCustomerId ?? '',
    email: redacted ? '' : (customer.email ?? ''),
    redacted,
    segment,
    churnRisk: risk.score,
    churnBand: risk.band,
    pAlive: round4(pAlive),
    expectedPurchases90d: round4(expectedPurchases90d),
    predictedValue12mMinor: Math.round(value),
    currency: scores.currency,
    rfm: { r: scores.rfm.r, f: scores.rfm.f, m: scores.rfm.m },
    tier: customer.tier ?? '',
    pointsBalance: customer.points.available,
    pointsPending: customer.points.pending,
    pNoPurchase: round4(scores.pNoPurchase),
    horizonDays: scores.horizonDays,
    engagement,
  };
};

// ── CSV ───────────────────────────────────────────────────────────────────────────────────

export const csvColumns = [
  'customer_id',
  'platform_customer_id',
  'email',
  'segment',
  'churn_risk',
  'churn_band',
  'p_alive',
  'expected_purchases_90d',
  'predicted_value_12m',
  'currency',
  'rfm_r',
  'rfm_f',
  'rfm_m',
  'rfm',
  'tier',
  'points_balance',
  'points_pending',
] as const;

/** All columns for a horizon: the 17 above, then `p_no_purchase_<H>d`, `horizon_days` and `engagement`. */
export const csvColumnsFor = (horizonDays: number): string[] => [
  ...csvColumns,
  `p_no_purchase_${horizonDays}d`,
  'horizon_days',
  'engagement',
];

const CRLF = '\r\n';
const plainNumber = /^-?\d+(?:\.\d+)?$/;
/** Formula triggers, and the apostrophe itself so the guard can be undone unambiguously. */
const guardedStart = /^[=+\-@\t\r']/;
const needsQuotes = /[",\r\n]/;

/** One CSV field: injection-guarded, then quoted when needed. */
export const csvField = (value: string): string => {
  const safe = guardedStart.test(value) && !plainNumber.test(value) ? `'${value}` : value;
  return needsQuotes.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

const csvLine = (fields: readonly string[]): string => fields.map(csvField).join(',') + CRLF;

/** The header line for a horizon, CRLF-terminated. */
export const csvHeaderFor = (horizonDays: number): string => csvLine(csvColumnsFor(horizonDays));
/** The header line at the default horizon. */
export const csvHeader: string = csvHeaderFor(DEFAULT_HORIZON_DAYS);

const csvValues = (row: ExportRow): string[] => [
  row.customerId,
  row.platformCustomerId,
  row.email,
  row.segment,
  String(row.churnRisk),
  row.churnBand,
  fixed4(row.pAlive),
  fixed4(row.expectedPurchases90d),
  formatMinor(row.predictedValue12mMinor, row.currency),
  row.currency,
  String(row.rfm.r),
  String(row.rfm.f),
  String(row.rfm.m),
  `${row.rfm.r}${row.rfm.f}${row.rfm.m}`,
  row.tier,
  String(row.pointsBalance),
  String(row.pointsPending),
  fixed4(row.pNoPurchase),
  String(row.horizonDays),
  String(row.engagement),
];

/** Rows without a header, each CRLF-terminated: parts concatenate after one `csvHeader`. */
export const toCsvRows = (rows: readonly ExportRow[]): string => rows.map((r) => csvLine(csvValues(r))).join('');

/** A whole CSV file: header and rows. */
export const toCsv = (rows: readonly ExportRow[], horizonDays = rows[0]?.horizonDays ?? DEFAULT_HORIZON_DAYS): string =>
  csvHeaderFor(horizonDays) + toCsvRows(rows);

// ── JSON ──────────────────────────────────────────────────────────────────────────────────

export interface JsonExportMeta {
  shopId: string;
  /** The as-of day of the scores, YYYY-MM-DD. */
  asOf: string;
  /** When the export was produced, ISO timestamp. */
  generatedAt: string;
  currency: string;
  /** Days ahead `pNoPurchase` and the churn risk look. */
  horizonDays?: number;
  /** The purchase model (or heuristic) the risk came from. */
  model?: string;
}

export interface JsonExportRow {
  customerId: string;
  platformCustomerId: string | null;
  email: string;
  redacted: boolean;
  segment: SegmentName;
  churnRisk: number;
  churnBand: RiskBand;
  pAlive: number;
  expectedPurchases90d: number;
  /** Decimal string in the currency's exponent, as in the CSV. */
  predictedValue12m: string;
  predictedValue12mMinor: number;
  currency: string;
  rfm: { r: number; f: number; m: number; code: string };
  tier: string | null;
  pointsBalance: number;
  pointsPending: number;
  pNoPurchase: number;
  horizonDays: number;
  engagement: number;
}

export interface JsonExport {
  format: 'boomerang.churn-segments';
  version: 1;
  meta: JsonExportMeta;
  count: number;
  customers: JsonExportRow[];
}

/** One row of the JSON variant (also usable line by line, as JSON Lines). */
export const toJsonRow = (row: ExportRow): JsonExportRow => ({
  customerId: row.customerId,
  platformCustomerId: row.platformCustomerId === '' ? null : row.platformCustomerId,
  email: row.email,
  redacted: row.redacted,
  segment: row.segment,
  churnRisk: row.churnRisk,
  churnBand: row.churnBand,
  pAlive: row.pAlive,
  expectedPurchases90d: row.expectedPurchases90d,
  predictedValue12m: formatMinor(row.predictedValue12mMinor, row.currency),
  predictedValue12mMinor: row.predictedValue12mMinor,
  currency: row.currency,
  rfm: { ...row.rfm, code: `${row.rfm.r}${row.rfm.f}${row.rfm.m}` },
  tier: row.tier === '' ? null : row.tier,
  pointsBalance: row.pointsBalance,
  pointsPending: row.pointsPending,
  pNoPurchase: row.pNoPurchase,
  horizonDays: row.horizonDays,
  engagement: row.engagement,
});

/** The JSON variant: plain data, for JSON.stringify. No spreadsheet guard: JSON is not evaluated. */
export const toJsonExport = (rows: readonly ExportRow[], meta: JsonExportMeta): JsonExport => ({
  format: 'boomerang.churn-segments',
  version: 1,
  meta: {
    shopId: meta.shopId,
    asOf: meta.asOf,
    generatedAt: meta.generatedAt,
    currency: meta.currency,
    ...(meta.horizonDays !== undefined ? { horizonDays: meta.horizonDays } : {}),
    ...(meta.model !== undefined ? { model: meta.model } : {}),
  },
  count: rows.length,
  customers: rows.map(toJsonRow),
});
