import type { CommonPlaceholders, LocaleCopy, Placeholders } from './copy';
import type { Formatter } from './format';
import type { EmailData, EmailDataByType, EmailType } from './types';

/**
 * `{{name}}` placeholders in shop overrides: which exist for each type, their values (formatted
 * exactly as the built-in copy shows them) and the substitution itself.
 */

type FieldFormatter<T extends EmailType> = (data: EmailData<T>, f: Formatter, words: LocaleCopy, key: string) => string;
/** Customer ids (`…Cid`) are for the sender's lookups, never shown. */
type FieldFormatters<T extends EmailType> = {
  [K in Exclude<keyof EmailDataByType[T], `${string}Cid`>]-?: FieldFormatter<T>;
};

/** A text field as it is (names, codes); an absent optional one is ''. */
const text = (data: object, _f: Formatter, _w: LocaleCopy, key: string): string => {
  const value: unknown = (data as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
};
const optionalDate = (iso: string | undefined, f: Formatter) => (iso ? f.date(iso) : '');

/**
 * One formatter per data field. The mapped type makes a field added to `EmailDataByType`
 * a compile error here until it has a placeholder, so the docs cannot fall behind.
 */
const fields: { [T in EmailType]: FieldFormatters<T> } = {
  tier_up: {
    tierName: text,
    previousTierName: text,
    perks: text,
    multiplierPercent: (d, f) => f.percent(d.multiplierPercent),
  },
  tier_down_warning: {
    tierName: text,
    nextTierName: text,
    downgradeAt: (d, f) => f.date(d.downgradeAt),
    qualifyOn: (d, _f, w) => w.qualifyOn[d.qualifyOn],
    // With its unit, because the unit depends on what the tier qualifies on.
    toKeep: (d, f, w) =>
      d.qualifyOn === 'spend'
        ? f.money(d.toKeep, d.currency)
        : d.qualifyOn === 'points'
          ? w.points(f.integer(d.toKeep), d.toKeep)
          : w.orders(f.integer(d.toKeep), d.toKeep),
    currency: text,
  },
  tier_down: {
    tierName: text,
    previousTierName: text,
    perks: text,
  },
  points_expiring: {
    points: (d, f) => f.integer(d.points),
    expiresAt: (d, f) => f.date(d.expiresAt),
  },
  referral_reward_earned: {
    points: (d, f) => f.integer(d.points),
    friendFirstName: text,
    confirmsAt: (d, f) => optionalDate(d.confirmsAt, f),
  },
  friend_welcome: {
    referrerFirstName: text,
    discountPercent: (d, f) => f.percent(d.discountPercent),
    referralCode: text,
    referralUrl: text,
  },
  winback_reminder: {
    pointsBalance: (d, f) => f.integer(d.pointsBalance),
    lastOrderAt: (d, f) => optionalDate(d.lastOrderAt, f),
  },
  winback_incentive: {
    code: text,
    rewardName: text,
    valueMinor: (d, f) => f.money(d.valueMinor, d.currency),
    currency: text,
    pointsBalance: (d, f) => f.integer(d.pointsBalance),
  },
  membership_joined: {
    planName: text,
    perks: text,
    multiplierPercent: (d, f) => f.percent(d.multiplierPercent),
    paidThrough: (d, f) => f.date(d.paidThrough),
  },
  membership_renewal_due: { planName: text, perks: text, paidThrough: (d, f) => f.date(d.paidThrough) },
  membership_lapsed: { planName: text, paidThrough: (d, f) => f.date(d.paidThrough) },
  survey_request: {
    surveyId: text,
    orderId: text,
    orderedAt: (d, f) => f.date(d.orderedAt),
    surveyUrl: text,
  },
};

const common = ['firstName', 'shopName', 'loyaltyPageUrl'] as const satisfies readonly (keyof CommonPlaceholders)[];
const names = Object.fromEntries(
  (Object.keys(fields) as EmailType[]).map((type) => [type, Object.freeze([...common, ...Object.keys(fields[type])])]),
) as Record<EmailType, readonly string[]>;

/**
 * The placeholders an override may use for a type, e.g. ['firstName','shopName','loyaltyPageUrl','tierName',…]
 * (for docs and validation messages).
 */
export const placeholdersFor = (type: EmailType): readonly string[] => names[type];

export const placeholderValues = <T extends EmailType>(
  type: T,
  data: EmailData<T>,
  common: CommonPlaceholders,
  f: Formatter,
  words: LocaleCopy,
): Placeholders<T> => {
  const formatters = fields[type] as FieldFormatters<T>;
  const values: Record<string, string> = { ...common };
  for (const [key, format] of Object.entries(formatters) as [string, FieldFormatter<T>][]) {
    values[key] = format(data, f, words, key);
  }
  return values as Placeholders<T>;
};

const token = /( ?)\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;
const endsClause = /^(?:$|[\s,.!?;:)])/;

/**
 * Replaces known `{{name}}` tokens; unknown ones stay as written so a shop sees its typo in the
 * preview. An empty value (no first name) also takes the space before it when the clause ends
 * there, so "Hej {{firstName}}," reads "Hej," and not "Hej ,".
 */
export const fillPlaceholders = (template: string, values: Readonly<Record<string, string>>): string =>
  template.replace(token, (match: string, space: string, name: string, offset: number, whole: string) => {
    if (!Object.hasOwn(values, name)) return match;
    const value = values[name] ?? '';
    if (value === '' && endsClause.test(whole.slice(offset + match.length, offset + match.length + 1))) return '';
    return space + value;
  });
