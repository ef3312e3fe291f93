import { z } from 'zod';

/**
 * A shop's loyalty program. One schema, every field defaulted, so `programSchema.parse({})`
 * is the documented default program. Rates are integer ratios and percentages are basis
 * points so that points and money never pass through a float.
 */
export const earningSchema = z.object({
  /** `points` are earned for every `per` whole units of the shop currency on the basis. */
  rate: z.object({
    points: z.int().min(0).max(1_000_000).default(1),
    per: z.int().min(1).max(1_000_000).default(1),
  }).prefault({}),
  /** What money the rate applies to. Default: line items after discounts, no shipping, no tax. */
  basis: z.enum(['subtotal_after_discounts', 'total_excluding_tax', 'total']).default('subtotal_after_discounts'),
  /** Orders whose basis is below this (in minor units) earn nothing. */
  minimumOrderMinor: z.int().min(0).default(0),
  excludedProductIds: z.array(z.string().min(1)).max(1000).default([]),
  excludedSkus: z.array(z.string().min(1)).max(1000).default([]),
  /** Extra multipliers on matching lines, in percent (200 = double points). */
  multipliers: z.array(z.object({
    productIds: z.array(z.string().min(1)).default([]),
    skus: z.array(z.string().min(1)).default([]),
    percent: z.int().min(0).max(10_000),
  })).max(100).default([]),
  firstOrderBonusPoints: z.int().min(0).default(0),
  /** Store credit as a share of the basis, in basis points (250 = 2.5 %). */
  cashbackBasisPoints: z.int().min(0).max(10_000).default(0),
  /** When points are earned: when the order is paid (default) or as soon as it is created. */
  earnOn: z.enum(['paid', 'created']).default('paid'),
}).prefault({});

export const rewardSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
  name: z.string().min(1).max(200),
  type: z.enum(['discount_code', 'store_credit']),
  pointsCost: z.int().min(1),
  /** Value in minor units of the shop currency. */
  valueMinor: z.int().min(1),
});

export const referralProgramSchema = z.object({
  enabled: z.boolean().default(true),
  /** Points the referrer earns when a referred friend's first order is paid (pending like any earning). */
  referrerRewardPoints: z.int().min(0).max(1_000_000).default(500),
  /** The friend's discount on their first order; the shop registers the referral code as this discount. */
  friendDiscountPercent: z.int().min(0).max(100).default(10),
  /** An order counts if it comes within this many days of the click, where the click is known. */
  attributionWindowDays: z.int().min(1).max(365).default(30),
  /** Conversions per referrer per calendar month before further ones are held for review. */
  monthlyCapPerReferrer: z.int().min(1).max(10_000).default(20),
  velocity: z.object({
    windowHours: z.int().min(1).max(24 * 30).default(24),
    /** More conversions than this from one IP or one address in the window are held. */
    maxPerIp: z.int().min(1).default(3),
    maxPerAddress: z.int().min(1).default(3),
  }).prefault({}),
  /** Added to the storefront redirect so the shop's analytics see referral traffic. */
  utm: z.object({
    source: z.string().min(1).max(100).default('boomerang'),
    medium: z.string().min(1).max(100).default('referral'),
    campaign: z.string().min(1).max(100).default('refer-a-friend'),
  }).prefault({}),
}).prefault({});

export const programSchema = z.object({
  earning: earningSchema,
  /** Days earned points stay pending so a return can still cancel them. */
  returnWindowDays: z.int().min(0).max(365).default(14),
  expiry: z.object({
    /** Points expire after this many months without earning or redeeming; 0 disables expiry. */
    inactivityMonths: z.int().min(0).max(120).default(12),
    /** Days before expiry that a warning event is left for the emails. */
    warningDays: z.int().min(0).max(90).default(30),
  }).prefault({}),
  referrals: referralProgramSchema,
  rewards: z.array(rewardSchema).max(100).default([
    { id: 'five-off', name: '5 off your next order', type: 'discount_code', pointsCost: 500, valueMinor: 500 },
    { id: 'credit-10', name: '10 store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 1000 },
  ]),
});

export type Program = z.infer<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;
export const defaultProgram = (): Program => programSchema.parse({});
