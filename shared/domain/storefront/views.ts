import { makeFormatter, type Formatter } from '../emails/format';
import { currencyExponent } from '../money/currencies';
import { expiresAt, type CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import type { Shop } from '../shop';
import { tierView } from '../tiers/progress';
import { waysToEarnStatus, waysToEarnView } from './ways-to-earn';
import type { Program, RewardType } from '../../schemas/program';
import type { HistoryPage, MeView, ProgramView, StorefrontLocale } from '../../schemas/storefront';

/**
 * What a shop's customers see of the program (the widget, the hosted page), in their language.
 * Pure: the storefront use cases read the records and pass them in with the time.
 */

type Texts = {
  earn: (points: string, money: string) => string;
  reward: Record<RewardType, (money: string) => string>;
  tierFrom: Record<Program['tiers']['qualifyOn'], (amount: string, months: number) => string>;
  tierFromStart: string;
  referral: (percent: string, points: string) => string;
  history: Record<LedgerEntry['type'], (e: LedgerEntry, f: Formatter) => string>;
};

const en: Texts = {
  earn: (points, money) => `${points} for every ${money} you spend`,
  reward: {
    discount_code: (m) => `${m} off your next order`,
    store_credit: (m) => `${m} store credit`,
    product: () => 'A free product',
    experience: () => 'An exclusive experience',
  },
  tierFrom: {
    spend: (a, n) => `From ${a} spent in ${n} months`,
    points: (a, n) => `From ${a} points earned in ${n} months`,
    orders: (a, n) => `From ${a} orders in ${n} months`,
  },
  tierFromStart: 'Where every member starts',
  referral: (pct, pts) => `Give friends ${pct} off their first order and get ${pts} points`,
  history: {
    earn: (e) => (e.orderId ? `Points for order ${e.orderId}` : 'Points earned'),
    // Confirming moves points from pending to spendable: the line's total change is 0, so the words carry the amount.
    confirm: (e, f) =>
      e.orderId
        ? `${pointsWord('en', e.points.available, f)} for order ${e.orderId} ready to spend`
        : `${pointsWord('en', e.points.available, f)} ready to spend`,
    reverse: (e) => (e.orderId ? `Points taken back: order ${e.orderId} was returned` : 'Points taken back'),
    redeem: () => 'Points spent on a reward',
    expire: () => 'Points expired',
    adjust: (e) =>
      e.points.available + e.points.pending >= 0 ? 'Points added by the shop' : 'Points removed by the shop',
  },
};

const da: Texts = {
  earn: (points, money) => `${points} for hver ${money}, du handler for`,
  reward: {
    discount_code: (m) => `${m} rabat på din næste ordre`,
    store_credit: (m) => `${m} tilgodehavende`,
    product: () => 'Et gratis produkt',
    experience: () => 'En eksklusiv oplevelse',
  },
  tierFrom: {
    spend: (a, n) => `Fra ${a} handlet på ${n} måneder`,
    points: (a, n) => `Fra ${a} point optjent på ${n} måneder`,
    orders: (a, n) => `Fra ${a} ordrer på ${n} måneder`,
  },
  tierFromStart: 'Her starter alle medlemmer',
  referral: (pct, pts) => `Giv dine venner ${pct} rabat på første ordre, og få ${pts} point`,
  history: {
    earn: (e) => (e.orderId ? `Point for ordre ${e.orderId}` : 'Point optjent'),
    confirm: (e, f) =>
      e.orderId
        ? `${pointsWord('da', e.points.available, f)} for ordre ${e.orderId} kan nu bruges`
        : `${pointsWord('da', e.points.available, f)} kan nu bruges`,
    reverse: (e) => (e.orderId ? `Point trukket tilbage: ordre ${e.orderId} blev returneret` : 'Point trukket tilbage'),
    redeem: () => 'Point brugt på en belønning',
    expire: () => 'Point udløbet',
    adjust: (e) =>
      e.points.available + e.points.pending >= 0 ? 'Point tilføjet af butikken' : 'Point fjernet af butikken',
  },
};

const texts: Record<StorefrontLocale, Texts> = { en, da };

const pointsWord = (locale: StorefrontLocale, n: number, f: Formatter) =>
  locale === 'da' ? `${f.integer(n)} point` : `${f.integer(n)} ${n === 1 ? 'point' : 'points'}`;

/** Whole units of the shop currency (tier thresholds, the earning rate's `per`) as money. */
const wholeUnits = (f: Formatter, units: number, currency: string, exponent: number) =>
  f.money(units * 10 ** exponent, currency);

const rewardsOf = (program: Program, shop: Shop, f: Formatter, t: Texts) =>
  program.rewards.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    pointsCost: r.pointsCost,
    valueMinor: r.valueMinor,
    description: r.description ?? t.reward[r.type](f.money(r.valueMinor, shop.currency)),
  }));

/** `GET /storefront/{shopId}/program`: the program as an anonymous visitor may see it. */
export const programView = (shop: Shop, locale: StorefrontLocale): ProgramView => {
  const exponent = currencyExponent(shop.currency);
  const f = makeFormatter(locale, shop.timezone);
  const t = texts[locale];
  const { earning, tiers, referrals } = shop.program;
  const tierAmount = (threshold: number) =>
    tiers.qualifyOn === 'spend' ? wholeUnits(f, threshold, shop.currency, exponent) : f.integer(threshold);
  const settings = shop.storefront;
  return {
    shop: { id: shop.id, name: shop.name, currency: shop.currency, storefrontUrl: shop.storefrontUrl },
    locale,
    earning: {
      summary: t.earn(
        pointsWord(locale, earning.rate.points, f),
        wholeUnits(f, earning.rate.per, shop.currency, exponent),
      ),
      points: earning.rate.points,
      per: earning.rate.per,
      firstOrderBonusPoints: earning.firstOrderBonusPoints,
      cashbackBasisPoints: earning.cashbackBasisPoints,
    },
    rewards: rewardsOf(shop.program, shop, f, t),
    tiers: tiers.enabled
      ? {
          qualifyOn: tiers.qualifyOn,
          levels: tiers.levels.map((l) => ({
            id: l.id,
            name: l.name,
            threshold: l.threshold,
            multiplierPercent: l.multiplierPercent,
            perks: l.perks,
            summary:
              l.threshold === 0
                ? t.tierFromStart
                : t.tierFrom[tiers.qualifyOn](
                    tierAmount(l.threshold),
                    tiers.window === 'rolling' ? tiers.windowMonths : 12,
                  ),
          })),
        }
      : null,
    referral: referrals.enabled
      ? {
          friendDiscountPercent: referrals.friendDiscountPercent,
          referrerRewardPoints: referrals.referrerRewardPoints,
          summary: t.referral(f.percent(referrals.friendDiscountPercent), f.integer(referrals.referrerRewardPoints)),
        }
      : null,
    waysToEarn: waysToEarnView(shop.program, locale),
    links: { join: settings?.joinUrl ?? null, signIn: settings?.signInUrl ?? null },
    theme: { accentColor: settings?.accentColor ?? '#1f6feb', logoUrl: settings?.logoUrl ?? null },
  };
};

/** Ledger entries in plain words, newest first as listed. */
export const historyItems = (
  entries: readonly LedgerEntry[],
  shop: Shop,
  locale: StorefrontLocale,
): HistoryPage['history'] => {
  const f = makeFormatter(locale, shop.timezone);
  return entries.map((e) => ({
    id: e.entryId,
    at: e.at,
    points: e.points.available + e.points.pending,
    creditMinor: e.credit.available + e.credit.pending,
    kind: e.type,
    text: texts[locale].history[e.type](e, f),
  }));
};

/** The earliest date pending points become spendable (the order's return window ends). */
const pendingSpendableAt = (c: CustomerRecord): string | null =>
  Object.values(c.pendingOrders ?? {}).reduce<string | null>((min, at) => (min === null || at < min ? at : min), null);

/**
 * `GET /storefront/{shopId}/me` without the referral (which may need a write to publish the
 * code) and without the history page (a query): the use case adds both.
 */
export const meView = (
  shop: Shop,
  customer: CustomerRecord | undefined,
  cid: string,
  locale: StorefrontLocale,
  now: string,
): Omit<MeView, 'referral' | 'history' | 'nextCursor'> => {
  const f = makeFormatter(locale, shop.timezone);
  const balance = customer?.points.available ?? 0;
  const expiry = customer ? expiresAt(customer, shop.program) : undefined;
  const tier = tierView(customer ?? { createdAt: now }, shop.program.tiers, shop.currency, now);
  return {
    customer: { id: cid, firstName: customer?.firstName ?? null },
    points: {
      balance,
      pending: customer?.points.pending ?? 0,
      lifetimeEarned: customer?.points.lifetimeEarned ?? 0,
      expiresAt: expiry ?? null,
      pendingSpendableAt: customer ? pendingSpendableAt(customer) : null,
      // Points expire all at once after inactivity, so what expires next is the whole balance.
      nextExpiry: expiry && balance > 0 ? { points: balance, at: expiry } : null,
    },
    storeCredit: {
      balanceMinor: customer?.credit.available ?? 0,
      pendingMinor: customer?.credit.pending ?? 0,
      currency: shop.currency,
      balanceText: f.money(customer?.credit.available ?? 0, shop.currency),
    },
    tier: tier && {
      ...tier,
      progress: {
        ...tier.progress,
        toNextText:
          tier.qualifyOn === 'spend' && tier.progress.toNext !== null
            ? f.money(tier.progress.toNext, shop.currency)
            : null,
      },
    },
    rewards: rewardsOf(shop.program, shop, f, texts[locale]).map((r) => ({
      ...r,
      affordable: balance >= r.pointsCost,
      pointsShort: Math.max(0, r.pointsCost - balance),
    })),
    waysToEarn: waysToEarnStatus(shop.program, customer, now, shop.timezone),
    birthday: customer?.birthday ?? null,
  };
};
