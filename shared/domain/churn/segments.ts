/**
 * Named customer segments: an RFM segment map (recency, frequency, monetary quintiles, rfm.ts)
 * adapted with the purchase model's P(alive) and the churn-risk band (risk.ts).
 *
 * Rules are evaluated in this order; the first that matches wins, and the last one catches
 * everything left, so every valid input gets exactly one segment. r, f, m are the 1–5 quintile
 * scores (5 best; mid-rank, so a shop's only customer is 3-3-3); x is the number of repeat
 * purchase days; T the days since the first purchase; band the churn-risk band. "Old" is
 * r ≤ 2, or x = 0 and T > 365: a single purchase over a year ago is old in any shop. "Regular" is
 * x ≥ 2 (three purchase days or more): one return is a start, not yet a rhythm.
 *
 * | # | segment             | rule (first match)                                                    | in words |
 * |---|---------------------|-----------------------------------------------------------------------|----------|
 * | 1 | new                 | x = 0 and T ≤ 30                                                      | first purchase in the last 30 days, no repeat yet: too early to judge |
 * | 1b | engaged_not_buying | a non-purchase activity in the last 90 days, no purchase within the churn horizon, band not low | still reviews, follows or answers surveys, but has stopped buying |
 * | 2 | lost                | band high and (P(alive) < 0.2, or r = 1 and (f = 1 or x = 0), or x = 0 and T > 365) | the model doubts them, and they are gone by P(alive), or the oldest with the least history, or bought once over a year ago |
 * | 3 | champions           | regular and r ≥ 4 and f ≥ 4 and m ≥ 4 and band low                    | recent, frequent, high value and safe |
 * | 4 | cant_lose_them      | (f ≥ 4 or m ≥ 4) and (band high, or old and band medium)              | were frequent or valuable, now slipping |
 * | 5 | at_risk             | band high, or old and x ≥ 1 and f ≥ 2 and band medium                 | slipping, not top value (that is rule 4) |
 * | 6 | loyal               | regular and f ≥ 3 and (not old, or band low)                          | buy regularly; a slow but steady rhythm (old recency, low risk) still counts |
 * | 7 | potential_loyalist  | not old, or band low                                                  | recent or safe, not (yet) a regular |
 * | 8 | hibernating         | everything else                                                       | by now: band medium, old, f = 1 or x = 0, m ≤ 3: quiet, little history |
 *
 * Choices worth knowing:
 * - The band bounds the bad end: a customer with a low churn-risk band is never Lost or
 *   Hibernating (rule 7 catches every low band left), and a high band is never in a healthy
 *   segment but New (rule 5 catches every high band left); both property-tested. Quintiles are
 *   relative to the shop and say little in a small one; the band is the customer's own.
 * - New comes first: BG/NBD gives P(alive) = 1 to anyone without a repeat purchase, and
 *   recency quintiles say little in a customer's first month.
 * - Lost needs band high and comes before Can't lose them: below P(alive) 0.2 a win-back budget is
 *   unlikely to pay off even for a once-valuable customer. Both still count as "worsened".
 * - x, not f, says "bought once": one-time buyers share one frequency score, which is 2 from 40 %
 *   of the shop and 3 from 80 % (mid-rank ties). So a one-timer in the oldest recency fifth
 *   with band high is Lost ("or x = 0"), and the medium-band At risk needs a repeat.
 * - Champions and Loyal need a rhythm in absolute terms too (x ≥ 2): where most customers bought
 *   once, the frequency quintile of a single return is 3 or 4, and someone who came back once is a
 *   Potential loyalist, not yet Loyal.
 * - For a one-time buyer T is the time since their only purchase, an absolute recency: bought
 *   once over a year ago is old (and with band high Lost) however few customers the shop has to
 *   compare with.
 * - The risk band, not recency alone, decides "slipping": a customer whose usual rhythm is slow
 *   (old recency quintile, low risk) is Loyal, not At risk; a recent customer the model doubts
 *   (band high) is At risk / Can't lose them despite r ≥ 3.
 * - Where quintiles carry no information (one customer: 3-3-3) the band and the history decide:
 *   low or medium → Loyal (regular) or Potential loyalist, high → At risk or Can't lose
 *   them; a single purchase over a year ago → Hibernating (medium) or Lost (high).
 * - Engaged but not buying (1b) comes right after New and before Lost: a customer who still
 *   reviews, follows or answers surveys has not gone, whatever the purchase model says, and is
 *   the cheapest one to win back. It needs an activity within `ENGAGEMENT_WINDOW_DAYS` (90, the
 *   engagement window of shared/domain/metrics/engagement.ts), no purchase within the shop's
 *   churn horizon, and a band that is not low (a slow but steady buyer is not a concern). It is
 *   "slipping" (severity 1), so a move into it from a healthy segment feeds win-back. Without
 *   `engagement` in the input (no activity recorded) the rule never matches.
 * - The thresholds 30 days, 0.2 and 365 days are `NEW_CUSTOMER_DAYS`, `LOST_P_ALIVE` and
 *   `ONCE_LONG_AGO_DAYS`; a regular has `REGULAR_REPEATS` repeat purchase days.
 */
import { ENGAGEMENT_WINDOW_DAYS } from '../metrics/engagement';
import { riskBands, type RiskBand } from './risk';

export const segmentNames = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'at_risk',
  'cant_lose_them',
  'hibernating',
  'lost',
  // Added with the ways to earn (issue 15): last, so positions of the older names stay.
  'engaged_not_buying',
] as const;
export type SegmentName = (typeof segmentNames)[number];

/** Display labels. Danish labels are written for shop owners, not literal translations. */
export const segmentLabels: Readonly<Record<SegmentName, { en: string; da: string }>> = {
  champions: { en: 'Champions', da: 'Stjernekunder' },
  loyal: { en: 'Loyal', da: 'Loyale' },
  potential_loyalist: { en: 'Potential loyalist', da: 'Potentielt loyale' },
  new: { en: 'New', da: 'Nye' },
  at_risk: { en: 'At risk', da: 'I risiko' },
  cant_lose_them: { en: "Can't lose them", da: 'Må ikke mistes' },
  hibernating: { en: 'Hibernating', da: 'I dvale' },
  lost: { en: 'Lost', da: 'Tabte' },
  engaged_not_buying: { en: 'Engaged, not buying', da: 'Engagerede uden køb' },
};

/** The label in a locale ("da", "da-DK", "en-GB", …); Danish for Danish locales, else English. */
export const segmentLabel = (segment: SegmentName, locale?: string): string =>
  segmentLabels[segment][locale !== undefined && /^da(?:[-_]|$)/i.test(locale) ? 'da' : 'en'];

/** A customer with no repeat purchase whose first purchase is at most this many days old is New. */
export const NEW_CUSTOMER_DAYS = 30;
/** Below this P(alive) a customer with a high risk band is Lost. */
export const LOST_P_ALIVE = 0.2;
/** A customer with no repeat purchase whose only purchase is older than this is old in any shop (Lost if band high). */
export const ONCE_LONG_AGO_DAYS = 365;
/** Repeat purchase days (x) from which a customer has a rhythm: Champions and Loyal need it. */
export const REGULAR_REPEATS = 2;

export interface SegmentInput {
  rfm: { r: number; f: number; m: number };
  /** x: repeat purchase days (summary.ts). */
  frequency: number;
  /** T in days: days since the first purchase. */
  ageDays: number;
  pAlive: number;
  riskBand: RiskBand;
  /** Present when the customer has a non-purchase activity on record (engagedDays). */
  engagement?: {
    /** Days from the newest activity to the as-of day (0: that day). */
    daysSinceActivity: number;
    daysSinceLastPurchase: number;
    /** The shop's churn horizon (program.churn.horizonDays). */
    horizonDays: number;
  };
}

const isQuintile = (v: number) => Number.isInteger(v) && v >= 1 && v <= 5;

const checkInput = (i: SegmentInput): void => {
  const { r, f, m } = i.rfm;
  if (!(isQuintile(r) && isQuintile(f) && isQuintile(m)))
    throw new RangeError(`RFM scores must be integers 1–5, got (${r}, ${f}, ${m})`);
  if (!(Number.isInteger(i.frequency) && i.frequency >= 0))
    throw new RangeError(`frequency must be an integer ≥ 0, got ${i.frequency}`);
  if (!(Number.isFinite(i.ageDays) && i.ageDays >= 0)) throw new RangeError(`ageDays must be ≥ 0, got ${i.ageDays}`);
  if (!(Number.isFinite(i.pAlive) && i.pAlive >= 0 && i.pAlive <= 1))
    throw new RangeError(`pAlive must be in [0, 1], got ${i.pAlive}`);
  if (!(riskBands as readonly string[]).includes(i.riskBand))
    throw new RangeError(`Unknown risk band ${String(i.riskBand)}`);
  const e = i.engagement;
  if (
    e &&
    !(
      Number.isInteger(e.daysSinceActivity) &&
      e.daysSinceActivity >= 0 &&
      Number.isFinite(e.daysSinceLastPurchase) &&
      e.daysSinceLastPurchase >= 0 &&
      Number.isInteger(e.horizonDays) &&
      e.horizonDays > 0
    )
  )
    throw new RangeError(`Invalid engagement ${JSON.stringify(e)}`);
};

/** Rule 1b: engaged within the window, no purchase within the horizon, and the model not sure they will buy. */
const engagedNotBuying = (i: SegmentInput): boolean =>
  i.engagement !== undefined &&
  i.engagement.daysSinceActivity < ENGAGEMENT_WINDOW_DAYS &&
  i.engagement.daysSinceLastPurchase > i.engagement.horizonDays &&
  i.riskBand !== 'low';

/** The customer's segment by the table above. */
export const segmentOf = (input: SegmentInput): SegmentName => {
  checkInput(input);
  const {
    rfm: { r, f, m },
    frequency,
    ageDays,
    pAlive,
    riskBand: band,
  } = input;
  const repeat = frequency >= 1;
  if (!repeat && ageDays <= NEW_CUSTOMER_DAYS) return 'new';
  if (engagedNotBuying(input)) return 'engaged_not_buying';
  const onceLongAgo = !repeat && ageDays > ONCE_LONG_AGO_DAYS;
  const old = r <= 2 || onceLongAgo;
  const gone = pAlive < LOST_P_ALIVE || (r === 1 && (f === 1 || !repeat)) || onceLongAgo;
  if (band === 'high' && gone) return 'lost';
  const regular = frequency >= REGULAR_REPEATS;
  if (regular && r >= 4 && f >= 4 && m >= 4 && band === 'low') return 'champions';
  const slipping = band === 'high' || (old && band === 'medium');
  if ((f >= 4 || m >= 4) && slipping) return 'cant_lose_them';
  if (band === 'high' || (old && repeat && f >= 2 && band === 'medium')) return 'at_risk';
  if (regular && f >= 3 && (!old || band === 'low')) return 'loyal';
  if (!old || band === 'low') return 'potential_loyalist';
  return 'hibernating';
};

// ── transitions ───────────────────────────────────────────────────────────────────────────

/**
 * How far along the way to churn a segment is: 0 healthy, 1 slipping, 2 dormant, 3 gone. A move
 * to a higher rank is a worsening (what win-back e-mails act on); moves within a rank
 * (Champions → Loyal, At risk ↔ Can't lose them) are not.
 */
export const segmentSeverity: Readonly<Record<SegmentName, 0 | 1 | 2 | 3>> = {
  champions: 0,
  loyal: 0,
  potential_loyalist: 0,
  new: 0,
  at_risk: 1,
  cant_lose_them: 1,
  hibernating: 2,
  lost: 3,
  engaged_not_buying: 1,
};

/** Segments that feed win-back. */
export const winBackSegments: readonly SegmentName[] = segmentNames.filter((s) => segmentSeverity[s] > 0);

export type SegmentTransition =
  | { kind: 'entered'; to: SegmentName; worsened: false }
  | { kind: 'unchanged'; from: SegmentName; to: SegmentName; worsened: false }
  | { kind: 'moved'; from: SegmentName; to: SegmentName; worsened: boolean };

/**
 * The change from last night's segment to tonight's. A customer seen for the first time has
 * `entered`, never `worsened`: there is no earlier state to have worsened from (and the first
 * run over an existing shop must not mail every lapsed customer at once).
 */
export const segmentTransition = (previous: SegmentName | undefined, next: SegmentName): SegmentTransition => {
  if (previous === undefined) return { kind: 'entered', to: next, worsened: false };
  if (previous === next) return { kind: 'unchanged', from: previous, to: next, worsened: false };
  return { kind: 'moved', from: previous, to: next, worsened: segmentSeverity[next] > segmentSeverity[previous] };
};
