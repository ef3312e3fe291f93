import * as z from 'zod';

/**
 * A shop's loyalty program. One schema, every field defaulted, so `programSchema.parse({})`
 * is the documented default program. Rates are integer ratios and percentages are basis
 * points so that points and money never pass through a float.
 */
export const earningSchema = z
  .object({
    /** `points` are earned for every `per` whole units of the shop currency on the basis. */
    rate: z
      .object({
        points: z.int().min(0).max(1_000_000).default(1),
        per: z.int().min(1).max(1_000_000).default(1),
      })
      .prefault({}),
    /** What money the rate applies to. Default: line items after discounts, no shipping, no tax. */
    basis: z.enum(['subtotal_after_discounts', 'total_excluding_tax', 'total']).default('subtotal_after_discounts'),
    /** Orders whose basis is below this (in minor units) earn nothing. */
    minimumOrderMinor: z.int().min(0).default(0),
    excludedProductIds: z.array(z.string().min(1)).max(1000).default([]),
    excludedSkus: z.array(z.string().min(1)).max(1000).default([]),
    /** Extra multipliers on matching lines, in percent (200 = double points). */
    multipliers: z
      .array(
        z.object({
          productIds: z.array(z.string().min(1)).default([]),
          skus: z.array(z.string().min(1)).default([]),
          percent: z.int().min(0).max(10_000),
        }),
      )
      .max(100)
      .default([]),
    firstOrderBonusPoints: z.int().min(0).default(0),
    /** Store credit as a share of the basis, in basis points (250 = 2.5 %). */
    cashbackBasisPoints: z.int().min(0).max(10_000).default(0),
    /** When points are earned: when the order is paid (default) or as soon as it is created. */
    earnOn: z.enum(['paid', 'created']).default('paid'),
  })
  .prefault({});

/**
 * Reward types: a discount code or store credit worth `valueMinor`, or an exclusive `product`
 * (given free, fulfilled by the shop from the code) or `experience` (an event, early access),
 * whose `valueMinor` is what it is worth to the customer (0 when priceless) and may be 0.
 */
export const rewardTypes = ['discount_code', 'store_credit', 'product', 'experience'] as const;
export type RewardType = (typeof rewardTypes)[number];

export const rewardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/),
    name: z.string().min(1).max(200),
    type: z.enum(rewardTypes),
    pointsCost: z.int().min(1),
    /** Value in minor units of the shop currency. */
    valueMinor: z.int().min(0),
    /** Shown to customers under the name (what the product or experience is). */
    description: z.string().trim().max(500).optional(),
    /** `product`: the shop's product and/or SKU the code is for (fulfilment). */
    productId: z.string().min(1).max(100).optional(),
    sku: z.string().min(1).max(100).optional(),
    /** `experience`: when it takes place (ISO instant), for the customer's reminder. */
    startsAt: z.iso.datetime({ offset: true }).optional(),
    /**
     * How many can ever be redeemed; absent = unlimited. Raising it makes more available;
     * redemptions are counted on the server and never exceed it, also under concurrency.
     */
    stock: z.int().min(0).max(10_000_000).optional(),
    /** Redemptions per customer, ever; absent = unlimited. */
    perCustomerLimit: z.int().min(1).max(10_000).optional(),
    /** Only for customers at this tier (by id) or above, and/or with an active paid membership. */
    requires: z
      .object({
        tier: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
          .optional(),
        /** A membership plan id, or `any` for any active plan. */
        membership: z
          .string()
          .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/)
          .optional(),
      })
      .strict()
      .optional(),
  })
  .refine((r) => r.type === 'product' || r.type === 'experience' || r.valueMinor >= 1, {
    message: 'a discount code or store credit must be worth at least 1 minor unit',
    path: ['valueMinor'],
  });
export type Reward = z.infer<typeof rewardSchema>;

/** How often one way to earn may award points to one customer. */
export const activityLimits = ['once', 'day', 'month', 'year', 'unlimited'] as const;
export type ActivityLimit = (typeof activityLimits)[number];

/**
 * An activity type: a built-in one (`account_created`, `birthday`, `review`,
 * `social_follow:<network>`, `newsletter`, `survey`) or the shop's own (letters, digits, `_`, `-`, `:`).
 */
export const activityTypeSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:-]{1,64}$/, { message: 'letters, digits, "_", "-" and ":" only, at most 64' });
export const builtInActivityTypes = ['account_created', 'birthday', 'review', 'newsletter', 'survey'] as const;
/** What a signed-in customer may claim themselves in the storefront (self-declared). */
export const isSelfDeclaredActivity = (type: string): boolean =>
  type === 'birthday' || type === 'newsletter' || /^social_follow:[a-z0-9_-]{1,32}$/.test(type);

const wayToEarnFields = z.object({
  type: activityTypeSchema,
  points: z.int().min(0).max(1_000_000),
  limit: z.enum(activityLimits).default('once'),
  enabled: z.boolean().default(true),
  /** Multiply by the customer's tier (and membership) multiplier, like purchases. */
  tierMultiplier: z.boolean().default(false),
  /** Shown to customers; defaults to a built-in label for built-in types, else the type. */
  name: z.string().trim().min(1).max(100).optional(),
  /** Where the customer does it (the profile to follow, the page to review on): a link in the storefront. */
  url: z.url({ protocol: /^https$/, message: 'must be an https URL' }).optional(),
});

/** A birthday comes once a year, so that is its limit unless the shop says otherwise. */
export const wayToEarnSchema = z.preprocess(
  (v) =>
    v !== null && typeof v === 'object' && (v as { type?: unknown }).type === 'birthday' && !('limit' in v)
      ? { ...v, limit: 'year' }
      : v,
  wayToEarnFields,
);
export type WayToEarn = z.infer<typeof wayToEarnSchema>;

/** Post-purchase surveys (NPS + Customer Loyalty Index questions) and the alerts they raise. */
export const surveysSchema = z
  .object({
    /** Off by default so that upgrading never starts e-mailing a shop's customers unasked. */
    enabled: z.boolean().default(false),
    /** Days after a qualifying (paid, earning) order that the survey e-mail is due. */
    delayDays: z.int().min(0).max(365).default(14),
    /** A customer gets at most one survey in this many days. */
    cooldownDays: z.int().min(1).max(730).default(90),
    /** Days a survey link stays valid. */
    linkValidDays: z.int().min(1).max(365).default(30),
    /** Extra addresses for feedback alerts, besides the shop's console users with the marketer role. */
    alertRecipients: z.array(z.email()).max(20).default([]),
  })
  .prefault({});
export type SurveysConfig = z.infer<typeof surveysSchema>;

export const membershipPlanSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  name: z.string().trim().min(1).max(50),
  /** Buying any of these (a paid line) grants or renews the plan. */
  productIds: z.array(z.string().min(1)).max(100).default([]),
  skus: z.array(z.string().min(1)).max(100).default([]),
  /** Months one payment is valid for (1 = monthly, 12 = yearly). */
  periodMonths: z.int().min(1).max(36).default(1),
  /** Earning multiplier while active, in percent. */
  multiplierPercent: z.int().min(100).max(1_000).default(100),
  perks: z.string().trim().max(500).default(''),
});
export type MembershipPlan = z.infer<typeof membershipPlanSchema>;

/** Paid membership: a fee for standing benefits, beside the spend tiers. */
export const membershipSchema = z
  .object({
    enabled: z.boolean().default(false),
    plans: z.array(membershipPlanSchema).max(10).default([]),
    /**
     * How the membership multiplier combines with the tier's: `multiply` (150 % × 120 % = 180 %),
     * `add` (the extra parts add: 150 % + 120 % = 170 %) or `highest` (the larger one).
     */
    stacking: z.enum(['multiply', 'add', 'highest']).default('multiply'),
    /** Days before the paid period ends that the renewal-due e-mail is sent; 0 = none. */
    renewalReminderDays: z.int().min(0).max(60).default(7),
    /** Days after the paid period ends before the membership lapses (a late renewal payment). */
    graceDays: z.int().min(0).max(60).default(3),
  })
  .refine((m) => new Set(m.plans.map((p) => p.id)).size === m.plans.length, {
    message: 'membership plan ids must be unique',
    path: ['plans'],
  })
  .prefault({});
export type MembershipConfig = z.infer<typeof membershipSchema>;

export const referralProgramSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Points the referrer earns when a referred friend's first order is paid (pending like any earning). */
    referrerRewardPoints: z.int().min(0).max(1_000_000).default(500),
    /** The friend's discount on their first order; the shop registers the referral code as this discount. */
    friendDiscountPercent: z.int().min(0).max(100).default(10),
    /** An order counts if it comes within this many days of the click, where the click is known. */
    attributionWindowDays: z.int().min(1).max(365).default(30),
    /** Conversions per referrer per calendar month before further ones are held for review. */
    monthlyCapPerReferrer: z.int().min(1).max(10_000).default(20),
    velocity: z
      .object({
        windowHours: z
          .int()
          .min(1)
          .max(24 * 30)
          .default(24),
        /** More conversions than this from one IP or one address in the window are held. */
        maxPerIp: z.int().min(1).default(3),
        maxPerAddress: z.int().min(1).default(3),
      })
      .prefault({}),
    /** Added to the storefront redirect so the shop's analytics see referral traffic. */
    utm: z
      .object({
        source: z.string().min(1).max(100).default('boomerang'),
        medium: z.string().min(1).max(100).default('referral'),
        campaign: z.string().min(1).max(100).default('refer-a-friend'),
      })
      .prefault({}),
  })
  .prefault({});

/** One level of the tier ladder. */
export const tierLevelSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/),
  name: z.string().trim().min(1).max(50),
  /**
   * Where the tier starts, in the unit it qualifies on: whole units of the shop currency for
   * `spend` (500 = 500 DKK), points for `points`, orders for `orders`.
   */
  threshold: z.int().min(0).max(1_000_000_000),
  /** Earning multiplier while in the tier, in percent (150 = half as many points again). */
  multiplierPercent: z.int().min(100).max(1_000).default(100),
  /** Shown to the customer in the tier e-mails, e.g. "Free shipping on every order". */
  perks: z.string().trim().max(500).default(''),
});

export const tiersSchema = z
  .object({
    enabled: z.boolean().default(true),
    qualifyOn: z.enum(['spend', 'points', 'orders']).default('spend'),
    /** `rolling`: the last `windowMonths` months; `calendar_year`: since 1 January (UTC). */
    window: z.enum(['rolling', 'calendar_year']).default('rolling'),
    windowMonths: z.int().min(1).max(36).default(12),
    /** A tier once reached is kept at least this long; then it is reviewed. */
    membershipMonths: z.int().min(1).max(36).default(12),
    /** Days after the membership period ends before a downgrade takes effect. */
    graceDays: z.int().min(0).max(365).default(30),
    /** Days before a downgrade that the customer is warned. */
    downgradeWarningDays: z.int().min(0).max(90).default(14),
    /**
     * Lowest first. Multipliers default to 100 % so that turning tiers on (or upgrading
     * Boomerang) never changes what an existing shop's orders earn until the shop says so.
     */
    levels: z
      .array(tierLevelSchema)
      .min(1)
      .max(10)
      .default([
        { id: 'bronze', name: 'Bronze', threshold: 0, multiplierPercent: 100, perks: '' },
        { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 100, perks: '' },
        { id: 'gold', name: 'Gold', threshold: 1500, multiplierPercent: 100, perks: '' },
      ]),
  })
  .refine((t) => t.levels[0]!.threshold === 0, {
    message: 'the first tier must start at 0',
    path: ['levels', 0, 'threshold'],
  })
  .refine((t) => t.levels.every((l, i) => i === 0 || l.threshold > t.levels[i - 1]!.threshold), {
    message: 'tiers must be ordered by strictly increasing threshold',
    path: ['levels'],
  })
  .refine((t) => new Set(t.levels.map((l) => l.id)).size === t.levels.length, {
    message: 'tier ids must be unique',
    path: ['levels'],
  })
  .prefault({});
export type TiersConfig = z.infer<typeof tiersSchema>;
export type TierLevel = z.infer<typeof tierLevelSchema>;

export const emailTypes = [
  'tier_up',
  'tier_down_warning',
  'tier_down',
  'points_expiring',
  'referral_reward_earned',
  'friend_welcome',
  'winback_reminder',
  'winback_incentive',
  'membership_joined',
  'membership_renewal_due',
  'membership_lapsed',
  // Post-purchase NPS and loyalty-index survey (marketing; switched by `surveys.enabled`).
  'survey_request',
] as const;
export type EmailType = (typeof emailTypes)[number];
export const emailTypeSchema = z.enum(emailTypes);

/** Per type and locale, any of these replaces the built-in wording; `{{name}}`-style placeholders. */
export const emailOverrideSchema = z
  .object({
    subject: z.string().trim().min(1).max(200).optional(),
    heading: z.string().trim().min(1).max(200).optional(),
    body: z.string().trim().min(1).max(5_000).optional(),
    cta: z.string().trim().min(1).max(100).optional(),
  })
  .strict();

export const emailSettingsSchema = z
  .object({
    /** Master switch for every e-mail Boomerang sends to the shop's customers. */
    enabled: z.boolean().default(true),
    /** Transactional types the shop sends (marketing: see `winback`). */
    transactional: z
      .object({
        tier_up: z.boolean().default(true),
        tier_down_warning: z.boolean().default(true),
        tier_down: z.boolean().default(true),
        points_expiring: z.boolean().default(true),
        referral_reward_earned: z.boolean().default(true),
        friend_welcome: z.boolean().default(true),
        membership_joined: z.boolean().default(true),
        membership_renewal_due: z.boolean().default(true),
        membership_lapsed: z.boolean().default(true),
      })
      .prefault({}),
    branding: z
      .object({
        /** https URL of a logo shown at the top of every e-mail. */
        logoUrl: z.url({ protocol: /^https$/ }).optional(),
        /** Buttons and headings, as #rrggbb. */
        primaryColor: z
          .string()
          .regex(/^#[0-9a-fA-F]{6}$/)
          .default('#1f6f5c'),
        /** Sender display name; defaults to the shop name. */
        fromName: z.string().trim().min(1).max(100).optional(),
        /** Postal address or company line required in marketing e-mail footers. */
        footer: z.string().trim().max(500).default(''),
      })
      .prefault({}),
    overrides: z
      .partialRecord(emailTypeSchema, z.record(z.string().regex(/^[a-z]{2}$/), emailOverrideSchema))
      .default({}),
    /** Most e-mails per second this shop's outbox hands to SES. */
    maxPerSecond: z.int().min(1).max(1_000).default(10),
    /** Marketing e-mails (win-back) per customer in any 7 days. */
    marketingCapPerWeek: z.int().min(0).max(14).default(2),
    /**
     * Whether marketing may go to customers whose platform did not say either way (custom
     * integrations that send no consent). Where the platform reports consent it is always obeyed.
     */
    marketingWithoutReportedConsent: z.boolean().default(false),
  })
  .prefault({});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

export const winbackSchema = z
  .object({
    enabled: z.boolean().default(true),
    /**
     * Churn risk score (0–100, from the nightly segments) whose crossing between two nights enters a
     * customer into the series. The score is round(100 · P(no purchase in the shop's churn horizon)), so 60 means a
     * 60 % chance; `noPurchaseProbability` says the same as a probability and wins when set.
     */
    riskThreshold: z.int().min(1).max(100).default(60),
    /**
     * P(no purchase in the next `churn.horizonDays`) whose crossing between two nights enters a
     * customer into the series, 0–1; null: the churn risk crossing `riskThreshold`.
     */
    noPurchaseProbability: z.number().gt(0).max(1).nullable().default(null),
    /** Days after the reminder that the incentive follows, if the customer has not ordered. */
    incentiveAfterDays: z.int().min(1).max(90).default(14),
    /**
     * Catalogue reward given free as the incentive (a discount_code reward of `rewards`); null =
     * reminder only. If the catalogue no longer has it, the series ends after the reminder.
     */
    incentiveRewardId: z.string().nullable().default('five-off'),
    /**
     * The code the incentive e-mail gives, created by the shop in its platform (e.g. a Shopify
     * discount limited to one use per customer). Null: Boomerang makes a unique `BMR-…` code per
     * customer, which the shop's integration must register (it is on the customer read and on
     * the outbox item) — there is no platform call to create it.
     */
    incentiveCode: z
      .string()
      .trim()
      .min(3)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/)
      .nullable()
      .default(null),
    /** A customer starts at most one series in this many days. */
    cooldownDays: z.int().min(1).max(365).default(90),
  })
  .prefault({});
export type WinbackConfig = z.infer<typeof winbackSchema>;

export const churnSchema = z
  .object({
    /**
     * Days ahead the churn risk looks: it is the probability of no purchase within this many days
     * (docs/nightly.md). Also the nightly back-test's window.
     */
    horizonDays: z.int().min(14).max(730).default(90),
  })
  .prefault({});
export type ChurnConfig = z.infer<typeof churnSchema>;

export const programSchema = z
  .object({
    earning: earningSchema,
    /** Days earned points stay pending so a return can still cancel them. */
    returnWindowDays: z.int().min(0).max(365).default(14),
    expiry: z
      .object({
        /** Points expire after this many months without earning or redeeming; 0 disables expiry. */
        inactivityMonths: z.int().min(0).max(120).default(12),
        /** Days before expiry that a warning event is left for the emails. */
        warningDays: z.int().min(0).max(90).default(30),
      })
      .prefault({}),
    referrals: referralProgramSchema,
    tiers: tiersSchema,
    emails: emailSettingsSchema,
    winback: winbackSchema,
    churn: churnSchema,
    /** Ways to earn beyond purchases (docs/engagement.md); one entry per type. */
    waysToEarn: z
      .array(wayToEarnSchema)
      .max(50)
      .default([])
      .refine((ws) => new Set(ws.map((w) => w.type)).size === ws.length, { message: 'each type may appear once' }),
    surveys: surveysSchema,
    membership: membershipSchema,
    rewards: z
      .array(rewardSchema)
      .max(100)
      .default([
        { id: 'five-off', name: '5 off your next order', type: 'discount_code', pointsCost: 500, valueMinor: 500 },
        { id: 'credit-10', name: '10 store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 1000 },
      ]),
  })
  .superRefine((p, ctx) => {
    // A reward gated on a tier or plan that does not exist could never be redeemed: refuse it when
    // the program is saved, naming the reward, rather than leave it locked for everyone.
    const tiers = new Set(p.tiers.levels.map((l) => l.id));
    const plans = new Set(p.membership.plans.map((m) => m.id));
    p.rewards.forEach((r, i) => {
      if (r.requires?.tier !== undefined && !tiers.has(r.requires.tier))
        ctx.addIssue({
          code: 'custom',
          message: `unknown tier "${r.requires.tier}": use an id of tiers.levels`,
          path: ['rewards', i, 'requires', 'tier'],
        });
      const plan = r.requires?.membership;
      if (plan !== undefined && plan !== 'any' && !plans.has(plan))
        ctx.addIssue({
          code: 'custom',
          message: `unknown membership plan "${plan}": use an id of membership.plans, or "any"`,
          path: ['rewards', i, 'requires', 'membership'],
        });
    });
  });

export type Program = z.infer<typeof programSchema>;
export type ProgramInput = z.input<typeof programSchema>;
export const defaultProgram = (): Program => programSchema.parse({});
