import { makeFormatter, type Formatter } from '../emails/format';
import { currencyExponent } from '../money/currencies';
import { expiresAt, type CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import type { Shop } from '../shop';
import { tierView } from '../tiers/progress';
import type { Program, Reward, RewardType } from '../../schemas/program';
import { rewardLock, remainingForCustomer, remainingStock } from '../rewards/eligibility';
import { membershipPlansView, membershipView } from '../membership/view';
import { waysToEarnStatus, waysToEarnView } from './ways-to-earn';
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
  /** Who an exclusive reward is for: a tier's name, a plan's name (null: any membership). */
  requires: (tier: string | undefined, plan: string | null | undefined) => string;
  left: (n: string) => string;
  soldOut: string;
  /** The per-customer limit and how many the customer has left of it. */
  perCustomer: (left: number, limit: number) => string;
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
  requires: (tier, plan) => {
    const level = tier === undefined ? '' : `${tier} tier and above`;
    if (plan === undefined) return `For ${level}`;
    const members = plan === null ? 'members' : `${plan} members`;
    return `For ${members}${level ? ` at ${level}` : ''}`;
  },
  left: (n) => `${n} left`,
  soldOut: 'Sold out',
  perCustomer: (left, limit) => `You can redeem ${left} more (limit ${limit} per customer)`,
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
  requires: (tier, plan) => {
    const level = tier === undefined ? '' : `${tier}-niveau og derover`;
    if (plan === undefined) return `Kun for ${level}`;
    const members = plan === null ? 'medlemmer' : `${plan}-medlemmer`;
    return `Kun for ${members}${level ? ` på ${level}` : ''}`;
  },
  left: (n) => `${n} tilbage`,
  soldOut: 'Udsolgt',
  perCustomer: (left, limit) => `Du kan indløse ${left} mere (højst ${limit} pr. kunde)`,
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

/** How many of each stock-limited reward were redeemed, by reward id (read by the use case). */
export type RedeemedCounts = ReadonlyMap<string, number>;

/** Who the reward is for, in words; null when it is for everyone. */
const requiresText = (r: Reward, program: Program, t: Texts): string | null => {
  const needs = r.requires;
  if (!needs || (needs.tier === undefined && needs.membership === undefined)) return null;
  const tier = needs.tier && (program.tiers.levels.find((l) => l.id === needs.tier)?.name ?? needs.tier);
  const plan =
    needs.membership === undefined
      ? undefined
      : needs.membership === 'any'
        ? null
        : (program.membership.plans.find((p) => p.id === needs.membership)?.name ?? needs.membership);
  return t.requires(tier, plan);
};

const rewardsOf = (program: Program, shop: Shop, f: Formatter, t: Texts, redeemed: RedeemedCounts) =>
  program.rewards.map((r) => {
    const remaining = remainingStock(r, redeemed.get(r.id) ?? 0);
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      pointsCost: r.pointsCost,
      valueMinor: r.valueMinor,
      description: r.description ?? t.reward[r.type](f.money(r.valueMinor, shop.currency)),
      startsAt: r.startsAt ?? null,
      startsAtText: r.startsAt ? f.date(r.startsAt) : null,
      remaining,
      soldOut: remaining === 0,
      availabilityText: remaining === null ? null : remaining === 0 ? t.soldOut : t.left(f.integer(remaining)),
      requires: r.requires ? { tier: r.requires.tier ?? null, membership: r.requires.membership ?? null } : null,
      requiresText: requiresText(r, program, t),
      perCustomerLimit: r.perCustomerLimit ?? null,
    };
  });

/** `GET /storefront/{shopId}/program`: the program as an anonymous visitor may see it. */
export const programView = (
  shop: Shop,
  locale: StorefrontLocale,
  redeemed: RedeemedCounts = new Map(),
): ProgramView => {
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
    rewards: rewardsOf(shop.program, shop, f, t, redeemed),
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
    membership: membershipPlansView(shop.program),
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
  redeemed: RedeemedCounts = new Map(),
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
    membership: customer ? membershipView(customer, shop.program, now) : null,
    rewards: rewardsOf(shop.program, shop, f, texts[locale], redeemed).map((r, i) => {
      const reward = shop.program.rewards[i]!;
      const locked = rewardLock(reward, customer, shop.program, now) ?? null;
      const left = remainingForCustomer(reward, customer);
      return {
        ...r,
        affordable: balance >= r.pointsCost,
        pointsShort: Math.max(0, r.pointsCost - balance),
        locked,
        lockedText: locked ? r.requiresText : null,
        remainingForCustomer: left,
        perCustomerText: left === null ? null : texts[locale].perCustomer(left, reward.perCustomerLimit!),
        redeemable: balance >= r.pointsCost && !locked && !r.soldOut && left !== 0,
      };
    }),
    waysToEarn: waysToEarnStatus(shop.program, customer, now, shop.timezone),
    birthday: customer?.birthday ?? null,
  };
};
