import * as z from 'zod';
import { activityLimits, rewardTypes } from './program';

/**
 * The storefront's public contract (issue 12): what the widget, the hosted page and a shop's
 * own code send and receive under `/storefront/{shopId}/…`. Responses are schemas too, so the
 * integration tests check every answer against them and the widget shares their types.
 */

const origin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, { message: 'must be an origin: scheme://host[:port], no path' })
  .transform((o) => o.toLowerCase());

/** What a shop configures for its storefront (`storefront` in `POST`/`PATCH /admin/shops`). */
export const storefrontSettingsSchema = z
  .object({
    /** Origins allowed to call the storefront API from a browser; default: the origin of `storefrontUrl`. */
    allowedOrigins: z.array(origin).max(20).optional(),
    /** Where the widget's "Join" and "Sign in" links go (the shop's own account pages). */
    joinUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    signInUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    /** The widget's accent colour. */
    accentColor: z
      .string()
      .regex(/^#[0-9a-f]{6}$/i)
      .default('#1f6feb'),
    logoUrl: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .optional(),
  })
  .strict();
export type StorefrontSettings = z.infer<typeof storefrontSettingsSchema>;

export const storefrontLocaleSchema = z.enum(['en', 'da']);
export type StorefrontLocale = z.infer<typeof storefrontLocaleSchema>;

/** Body of `POST /storefront/{shopId}/session`. */
export const sessionRequestSchema = z.object({ customerToken: z.string().min(1).max(4096) }).strict();

/** Body of `POST /storefront/{shopId}/me/redemptions` (with an `Idempotency-Key` header). */
export const storefrontRedemptionSchema = z.object({ rewardId: z.string().min(1).max(64) }).strict();

export const sessionResponseSchema = z.object({
  sessionToken: z.string(),
  expiresAt: z.iso.datetime(),
  customer: z.object({ id: z.string(), firstName: z.string().nullable() }),
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

const rewardSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(rewardTypes),
  pointsCost: z.int(),
  valueMinor: z.int(),
  /** E.g. "50.00 DKK off your next order", in the requested locale (or the shop's own description). */
  description: z.string(),
  /** Experiences: when it takes place. */
  startsAt: z.string().nullable(),
  /** `startsAt` as a date on the shop's calendar, in the requested locale. */
  startsAtText: z.string().nullable(),
  /** Left in stock (as of the read; the program read may be a minute old); null when unlimited. */
  remaining: z.int().nullable(),
  soldOut: z.boolean(),
  /** "3 left" / "Sold out" in the requested locale; null when unlimited. */
  availabilityText: z.string().nullable(),
  /** Who it is for: a tier id (that tier or above) and/or a membership plan id or `any`. */
  requires: z.object({ tier: z.string().nullable(), membership: z.string().nullable() }).nullable(),
  /** E.g. "For Gold tier and above", in the requested locale; null when for everyone. */
  requiresText: z.string().nullable(),
  /** Redemptions per customer, ever; null when unlimited. */
  perCustomerLimit: z.int().nullable(),
});

/** `GET /storefront/{shopId}/program?locale=`: everything an anonymous visitor may see. */
export const programViewSchema = z.object({
  shop: z.object({ id: z.string(), name: z.string(), currency: z.string(), storefrontUrl: z.string() }),
  locale: storefrontLocaleSchema,
  earning: z.object({
    /** E.g. "1 point for every 1 DKK you spend". */
    summary: z.string(),
    points: z.int(),
    per: z.int(),
    firstOrderBonusPoints: z.int(),
    cashbackBasisPoints: z.int(),
  }),
  rewards: z.array(rewardSchema),
  tiers: z
    .object({
      qualifyOn: z.enum(['spend', 'points', 'orders']),
      levels: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          threshold: z.int(),
          multiplierPercent: z.int(),
          perks: z.string(),
          /** E.g. "From 500 DKK spent in 12 months". */
          summary: z.string(),
        }),
      ),
    })
    .nullable(),
  /** Paid membership plans (docs/membership.md); null when the shop sells none. */
  membership: z
    .object({
      stacking: z.enum(['multiply', 'add', 'highest']),
      plans: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          periodMonths: z.int(),
          multiplierPercent: z.int(),
          perks: z.string(),
        }),
      ),
    })
    .nullable(),
  referral: z
    .object({
      friendDiscountPercent: z.int(),
      referrerRewardPoints: z.int(),
      /** E.g. "Give friends 10 % off their first order and get 500 points". */
      summary: z.string(),
    })
    .nullable(),
  /** Ways to earn beyond purchases (docs/engagement.md), enabled ones only. */
  waysToEarn: z.array(
    z.object({
      type: z.string(),
      /** The shop's name for it, or a built-in one in the requested locale. */
      name: z.string(),
      points: z.int(),
      limit: z.enum(activityLimits),
      /** The customer may claim it in the storefront (`POST …/me/activities`). */
      selfDeclared: z.boolean(),
      /** Where to do it (the profile to follow), or null. */
      url: z.string().nullable(),
    }),
  ),
  links: z.object({ join: z.string().nullable(), signIn: z.string().nullable() }),
  theme: z.object({ accentColor: z.string(), logoUrl: z.string().nullable() }),
});
export type ProgramView = z.infer<typeof programViewSchema>;

const historyItemSchema = z.object({
  id: z.string(),
  at: z.string(),
  /** Signed change of available + pending points. */
  points: z.int(),
  creditMinor: z.int(),
  kind: z.string(),
  /** The movement in plain words, in the requested locale. */
  text: z.string(),
});

/** `GET /storefront/{shopId}/me/history?cursor=`. */
export const historyPageSchema = z.object({ history: z.array(historyItemSchema), nextCursor: z.string().nullable() });
export type HistoryPage = z.infer<typeof historyPageSchema>;

/** `GET /storefront/{shopId}/me`. `points`, `storeCredit`, `tier` and `referral` are the admin read's. */
export const meViewSchema = z.object({
  customer: z.object({ id: z.string(), firstName: z.string().nullable() }),
  points: z.object({
    balance: z.int(),
    pending: z.int(),
    lifetimeEarned: z.int(),
    expiresAt: z.string().nullable(),
    /** When the oldest pending points become spendable (end of the return window), if any are pending. */
    pendingSpendableAt: z.string().nullable(),
    /** The points that expire next and when, if the program expires points. */
    nextExpiry: z.object({ points: z.int(), at: z.string() }).nullable(),
  }),
  storeCredit: z.object({
    balanceMinor: z.int(),
    pendingMinor: z.int(),
    currency: z.string(),
    /** The balance as the shop's texts write money in the request's locale (so the widget need not). */
    balanceText: z.string(),
  }),
  tier: z
    .object({
      id: z.string(),
      name: z.string(),
      since: z.string(),
      reviewAt: z.string().nullable(),
      multiplierPercent: z.int(),
      perks: z.string(),
      qualifyOn: z.enum(['spend', 'points', 'orders']),
      progress: z.object({
        current: z.number(),
        toNext: z.number().nullable(),
        nextTier: z.string().nullable(),
        /** `toNext` as money in the request's locale, for tiers on spend; null otherwise. */
        toNextText: z.string().nullable(),
      }),
    })
    .nullable(),
  /** The customer's paid membership, current or last (the admin read's); null if none. */
  membership: z
    .object({
      planId: z.string(),
      name: z.string(),
      status: z.enum(['active', 'lapsed', 'cancelled']),
      since: z.string(),
      paidThrough: z.string(),
      endedAt: z.string().nullable(),
      multiplierPercent: z.int(),
      earningMultiplierPercent: z.int(),
      perks: z.string(),
    })
    .nullable(),
  referral: z
    .object({
      code: z.string(),
      url: z.string(),
      stats: z.object({ clicks: z.int(), conversions: z.int(), rewardPoints: z.int(), clawedBackPoints: z.int() }),
      referredBy: z.unknown(),
    })
    .nullable(),
  rewards: z.array(
    rewardSchema.extend({
      affordable: z.boolean(),
      pointsShort: z.int(),
      /** The requirements this customer misses (`requires` says them all); null when none. */
      locked: z.object({ tier: z.string().optional(), membership: z.string().optional() }).nullable(),
      /** Why it is locked, in words; null when it is not. */
      lockedText: z.string().nullable(),
      /** What is left of the per-customer limit; null when unlimited. */
      remainingForCustomer: z.int().nullable(),
      perCustomerText: z.string().nullable(),
      /** Affordable, unlocked, in stock and within the customer's limit: the redeem button works. */
      redeemable: z.boolean(),
    }),
  ),
  /** Per enabled way to earn: done in its current period (a birthday: set), and claimable now. */
  waysToEarn: z.array(z.object({ type: z.string(), done: z.boolean(), claimable: z.boolean() })),
  /** The customer's birthday ("MM-DD"), or null before it is set. */
  birthday: z.string().nullable(),
  ...historyPageSchema.shape,
});
export type MeView = z.infer<typeof meViewSchema>;

/** `POST /storefront/{shopId}/me/redemptions` → 201: the admin redemption's answer. */
export const redemptionResponseSchema = z.object({
  redemption: z.object({
    id: z.string(),
    rewardId: z.string(),
    type: z.enum(rewardTypes),
    pointsCost: z.int(),
    valueMinor: z.int(),
    /** The code the customer shows: for discount codes, and for products and experiences (the shop fulfils by it). */
    code: z.string().optional(),
    /** Products and experiences: what the shop fulfils, as the catalogue said when redeemed. */
    description: z.string().optional(),
    productId: z.string().optional(),
    sku: z.string().optional(),
    startsAt: z.string().optional(),
    currency: z.string(),
    at: z.string(),
  }),
  points: z.object({ balance: z.int(), pending: z.int() }),
  storeCredit: z.object({ balanceMinor: z.int(), currency: z.string() }),
});
export type RedemptionResponse = z.infer<typeof redemptionResponseSchema>;
