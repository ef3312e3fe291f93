import { permissionsOf } from '../../shared/domain/console/roles';

/**
 * Stubbed API answers for the console's browser tests, in the shapes the API answers with
 * (docs/console.md): what the UI reads, pinned without a backend.
 */
export const shopId = 'keramik';

export const me = (o: { role?: 'owner' | 'marketer' | 'support'; shop?: boolean; permissions?: string[] } = {}) => ({
  user: { email: 'owner@keramik.example', name: 'Ida Owner' },
  shops: [
    { id: shopId, name: 'Keramik & Co', role: o.role ?? 'owner' },
    { id: 'glas', name: 'Glas & Co', role: 'support' },
  ],
  shop: o.shop === false ? null : { id: shopId, name: 'Keramik & Co', currency: 'DKK', locale: 'da-DK' },
  role: o.shop === false ? null : (o.role ?? 'owner'),
  permissions: o.shop === false ? [] : (o.permissions ?? [...permissionsOf(o.role ?? 'owner')]),
  csrfToken: 'csrf-123',
  session: { idleExpiresAt: '2026-12-05T12:00:00.000Z', expiresAt: '2026-12-12T00:00:00.000Z' },
});

const kpi = (value: number, previous: number) => ({ value, previous });

export const overview = {
  kpis: {
    members: kpi(1840, 1710),
    active90: kpi(920, 955),
    repeatPurchaseRate: kpi(0.34, 0.31),
    memberRevenue: kpi(48_250_000, 41_900_000),
    nonMemberRevenue: kpi(12_400_000, 13_100_000),
    referredRevenue: kpi(3_120_000, 2_480_000),
    redemptionRate: kpi(0.22, 0.2),
    nps: kpi(41, 38),
    pointsLiability: { value: { points: 412_500, amount: 4_125_000, currency: 'DKK' }, previous: null },
  },
  distributions: {
    tiers: [
      { tier: 'bronze', name: 'Bronze', customers: 1320 },
      { tier: 'silver', name: 'Silver', customers: 410 },
      { tier: 'gold', name: 'Gold', customers: 110 },
    ],
    churnRisk: [620, 480, 350, 250, 140, 90, 60, 40, 20, 10].map((customers, i) => ({
      min: i * 10,
      max: i === 9 ? 100 : i * 10 + 9,
      customers,
    })),
    segments: Array.from({ length: 6 }, (_, i) => ({
      asOf: `2026-11-${String(i * 5 + 1).padStart(2, '0')}`,
      jobId: `job_0${i}`,
      segments: { champions: 120 + i * 4, loyal: 300 + i * 6, at_risk: 210 - i * 5, lost: 400 + i * 3 },
    })),
    emails: {
      byType: {
        tier_up: { sent: 120, delivered: 118, bounced: 2, complained: 0, failed: 0 },
        points_expiring: { sent: 340, delivered: 331, bounced: 9, complained: 1, failed: 2 },
        winback_reminder: { sent: 0, delivered: 0, bounced: 0, complained: 0, failed: 0 },
      },
    },
  },
};

/** `GET …/metrics`: three nights, the first without loyalty-index answers. */
export const metrics = {
  days: [
    {
      asOf: '2026-12-01',
      nps: { score: 31.5, responses: 40 },
      customerLoyaltyIndex: { score: 0, responses: 0 },
      engagementRate: 0.21,
    },
    {
      asOf: '2026-12-02',
      nps: { score: 33, responses: 44 },
      customerLoyaltyIndex: { score: 71.25, responses: 4 },
      engagementRate: 0.2234,
    },
    {
      asOf: '2026-12-03',
      nps: { score: 35.5, responses: 47 },
      customerLoyaltyIndex: { score: 72.5, responses: 6 },
      engagementRate: 0.25,
    },
  ],
  latest: null,
};

export const daily = (days = 30) => ({
  days: Array.from({ length: days }, (_, i) => {
    const date = new Date(Date.UTC(2026, 10, 5 + i)).toISOString().slice(0, 10);
    const wave = Math.round(10 * Math.sin(i / 3));
    return {
      date,
      orders: 40 + wave + (i % 7),
      revenue: (40 + wave) * 45_000,
      memberOrders: 25 + wave,
      memberRevenue: (25 + wave) * 47_000,
      referredOrders: 3 + (i % 4),
      referredRevenue: (3 + (i % 4)) * 40_000,
      newCustomers: 12 + (i % 5),
      repeatCustomers: 9 + (i % 3),
      pointsIssued: 4000 + wave * 100,
      pointsRedeemed: 1500 + (i % 6) * 150,
      pointsExpired: i % 10 === 0 ? 900 : 0,
      storeCreditIssued: 10_000,
      storeCreditSpent: 6_000,
      rewardsRedeemed: { 'five-off': 3 },
      referralClicks: 60 + wave * 2,
      referralOrders: 3 + (i % 4),
      referralRewardsConfirmed: 2 + (i % 3),
      emailsSent: { tier_up: 4 },
    };
  }),
});

export const customer = {
  customer: {
    id: 'c_01',
    platformCustomerId: '115310627314723954',
    email: 'jon@example.com',
    firstName: 'Jon',
    lastName: 'Snow',
    acceptsMarketing: true,
    locale: 'da',
    ordersEarned: 3,
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-11-30T10:00:00.000Z',
    lastActivityAt: '2026-11-30T10:00:00.000Z',
    redacted: false,
  },
  points: { balance: 740, pending: 414, lifetimeEarned: 1654, expiresAt: '2027-11-30T10:00:00.000Z' },
  storeCredit: { balanceMinor: 5000, pendingMinor: 0, currency: 'DKK' },
  tier: {
    id: 'silver',
    name: 'Silver',
    since: '2026-06-01T00:00:00.000Z',
    reviewAt: null,
    multiplierPercent: 125,
    perks: 'Free shipping',
    qualifyOn: 'spend',
    progress: { current: 820, toNext: 680, nextTier: 'Gold' },
  },
  membership: {
    planId: 'vip',
    name: 'VIP Club',
    status: 'active',
    since: '2026-11-01T10:00:00.000Z',
    paidThrough: '2026-12-01T10:00:00.000Z',
    endedAt: null,
    multiplierPercent: 200,
    earningMultiplierPercent: 250,
    perks: 'Free shipping',
  },
  heldOrders: [],
  marketing: { winback: null },
  referral: {
    code: 'JON-7QK',
    url: 'https://api.example/r/JON-7QK',
    stats: { clicks: 14, conversions: 2, rewardPoints: 1000, clawedBackPoints: 0 },
    referredBy: null,
  },
  segment: {
    name: 'loyal',
    since: '2026-10-01',
    asOf: '2026-12-04',
    churnRisk: { score: 23, band: 'low' },
    pNoPurchase: 0.23,
    horizonDays: 90,
    pAlive: 0.91,
    expectedPurchases90d: 1.4,
    predictedValue12mMinor: 210000,
    rfm: { r: 4, f: 3, m: 4 },
  },
  emails: [
    {
      id: 'ob1',
      type: 'tier_up',
      status: 'sent',
      createdAt: '2026-11-02T10:00:00.000Z',
      sentAt: '2026-11-02T10:00:01.000Z',
      reason: null,
    },
  ],
  purchases: { orders: 5, lastOrderAt: '2026-11-20T10:00:00.000Z', daysSinceLastOrder: 14, usualIntervalDays: 41 },
  ledger: [
    {
      entryId: 'e3',
      type: 'adjust',
      at: '2026-11-30T10:00:00.000Z',
      points: { available: 740, pending: 0 },
      credit: { available: 0, pending: 0 },
      cause: 'adjust:k1',
      reason: 'Welcome gift',
      by: 'owner@keramik.example',
    },
    {
      entryId: 'e2',
      type: 'earn',
      at: '2026-11-28T10:00:00.000Z',
      points: { available: 0, pending: 414 },
      credit: { available: 0, pending: 0 },
      cause: 'order:1042@1',
      orderId: '1042',
    },
  ],
  nextCursor: null,
};

export const tierHistory = {
  tier: customer.tier,
  history: [
    {
      kind: 'up',
      at: '2026-06-01T00:00:00.000Z',
      from: 'bronze',
      to: 'silver',
      reason: 'qualified on spend 820.00 DKK',
    },
  ],
};

export const program = {
  earning: {
    rate: { points: 1, per: 1 },
    basis: 'subtotal_after_discounts',
    minimumOrderMinor: 0,
    excludedProductIds: [],
    excludedSkus: [],
    multipliers: [],
    firstOrderBonusPoints: 0,
    cashbackBasisPoints: 0,
    earnOn: 'paid',
  },
  returnWindowDays: 14,
  expiry: { inactivityMonths: 12, warningDays: 30 },
  referrals: {
    enabled: true,
    referrerRewardPoints: 500,
    friendDiscountPercent: 10,
    attributionWindowDays: 30,
    monthlyCapPerReferrer: 20,
    velocity: { windowHours: 24, maxPerIp: 3, maxPerAddress: 3 },
    utm: { source: 'boomerang', medium: 'referral', campaign: 'refer-a-friend' },
  },
  tiers: {
    enabled: true,
    qualifyOn: 'spend',
    window: 'rolling',
    windowMonths: 12,
    membershipMonths: 12,
    graceDays: 30,
    downgradeWarningDays: 14,
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: 0, multiplierPercent: 100, perks: '' },
      { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 125, perks: 'Free shipping' },
    ],
  },
  emails: {
    enabled: true,
    transactional: {
      tier_up: true,
      tier_down_warning: true,
      tier_down: true,
      points_expiring: true,
      referral_reward_earned: true,
      friend_welcome: true,
    },
    branding: { primaryColor: '#1f6f5c', footer: '' },
    overrides: {},
    maxPerSecond: 10,
    marketingCapPerWeek: 2,
    marketingWithoutReportedConsent: false,
  },
  winback: {
    enabled: true,
    riskThreshold: 60,
    noPurchaseProbability: null,
    incentiveAfterDays: 14,
    incentiveRewardId: 'five-off',
    incentiveCode: null,
    cooldownDays: 90,
  },
  churn: { horizonDays: 90 },
  rewards: [
    { id: 'five-off', name: '50 DKK off', type: 'discount_code', pointsCost: 500, valueMinor: 5000 },
    { id: 'credit-10', name: '100 DKK store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 10000 },
  ],
};

export const heldReferrals = {
  items: [
    {
      referralId: 'ref_01',
      referrer: { customerId: 'c_01', email: 'jon@example.com' },
      friend: { customerId: 'c_02', email: 'sam@example.com' },
      status: 'held',
      reasons: [{ code: 'self_referral_address', message: "The order ships to the referrer's address." }],
      order: { amount: 64900, currency: 'DKK' },
      createdAt: '2026-12-03T09:12:00.000Z',
    },
  ],
  nextCursor: null,
};

export const referralStats = {
  from: '2026-11-05',
  to: '2026-12-04',
  currency: 'DKK',
  clicks: 1840,
  uniqueVisitors: 1210,
  referredOrders: 96,
  heldReferrals: 1,
  rejectedReferrals: 3,
  conversionRate: 0.0793,
  referredRevenueMinor: 3_120_000,
  rewardsIssuedPoints: 48000,
  rewardsClawedBackPoints: 500,
  topReferrers: [
    { customerId: 'c_01', code: 'JON-7QK', conversions: 12, revenueMinor: 480_000, rewardPoints: 6000 },
    { customerId: 'c_09', code: 'ANE-2PX', conversions: 7, revenueMinor: 251_000, rewardPoints: 3500 },
  ],
};

export const jobs = {
  items: [
    {
      jobId: 'job_02',
      status: 'succeeded',
      asOf: '2026-12-04',
      startedAt: '2026-12-05T02:00:00.000Z',
      completedAt: '2026-12-05T02:03:10.000Z',
      segments: { champions: 140, loyal: 330, at_risk: 185, lost: 415 },
    },
    {
      jobId: 'job_01',
      status: 'failed',
      asOf: '2026-12-03',
      startedAt: '2026-12-04T02:00:00.000Z',
      completedAt: null,
      segments: null,
    },
  ],
  nextCursor: null,
};

export const job = {
  jobId: 'job_02',
  status: 'succeeded',
  result: {
    asOf: '2026-12-04',
    segments: { champions: 140, loyal: 330, at_risk: 185, lost: 415 },
    export: {
      csv: { key: 'k.csv', url: '/exports/download?token=csv', expiresAt: '2026-12-05T03:00:00.000Z' },
      json: { key: 'k.json', url: '/exports/download?token=json', expiresAt: '2026-12-05T03:00:00.000Z' },
    },
  },
};

export const users = {
  items: [
    {
      id: 'u1',
      email: 'owner@keramik.example',
      name: 'Ida Owner',
      role: 'owner',
      createdAt: '2026-01-01T00:00:00.000Z',
      invitedBy: null,
      lastSignInAt: '2026-12-05T08:00:00.000Z',
    },
    {
      id: 'u2',
      email: 'support@keramik.example',
      name: null,
      role: 'support',
      createdAt: '2026-02-01T00:00:00.000Z',
      invitedBy: 'owner@keramik.example',
      lastSignInAt: null,
    },
  ],
};

export const audit = {
  items: [
    {
      id: 'a2',
      at: '2026-12-04T15:00:00.000Z',
      actor: { kind: 'user', label: 'Ida Owner', email: 'owner@keramik.example', role: 'owner' },
      action: 'program.updated',
      target: 'shop:keramik',
      summary: 'Earning rate changed',
      diff: [{ path: 'earning.rate.points', from: 1, to: 2 }],
    },
    {
      id: 'a1',
      at: '2026-12-03T11:00:00.000Z',
      actor: { kind: 'user', label: 'support@keramik.example', email: 'support@keramik.example', role: 'support' },
      action: 'points.adjusted',
      target: 'customer:c_01',
      summary: '+740 points to jon@example.com: Welcome gift',
    },
  ],
  nextCursor: null,
};

export const emailPreview = (locale: string) => ({
  type: 'tier_up',
  subject: locale === 'da' ? 'Du er rykket op til Sølv' : 'You reached Silver',
  html: `<!doctype html><html><body style="font-family:sans-serif;padding:16px"><h1 style="color:#1f6f5c">${
    locale === 'da' ? 'Tillykke, Jon' : 'Congratulations, Jon'
  }</h1><p>Silver</p></body></html>`,
  text: 'Silver',
});

export const outboxFailed = {
  items: [
    {
      outboxId: 'o1',
      type: 'points_expiring',
      status: 'failed',
      createdAt: '2026-12-02T10:00:00.000Z',
      attempts: 5,
      reason: 'MessageRejected: Email address is not verified',
    },
  ],
  nextCursor: null,
};

export const suppressions = {
  items: [
    { emailHash: 'h1', hint: 'j***@example.com', scope: 'all', reason: 'bounce', at: '2026-11-20T10:00:00.000Z' },
  ],
  nextCursor: null,
};
