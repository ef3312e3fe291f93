import {
  meViewSchema,
  programViewSchema,
  redemptionResponseSchema,
  sessionResponseSchema,
  type MeView,
  type ProgramView,
} from '../../shared/schemas/storefront';

/**
 * Storefront API answers for the stubbed-API browser tests (widget-views.test.ts), parsed with
 * the contract's own schemas so they cannot drift from what the real API must send.
 */
export const programView = (over: Partial<ProgramView> = {}): ProgramView =>
  programViewSchema.parse({
    shop: { id: 'demo-shop', name: 'Keramik & Co', currency: 'DKK', storefrontUrl: 'https://shop.example.com' },
    locale: 'en',
    earning: {
      summary: '1 point for every 1 DKK you spend',
      points: 1,
      per: 100,
      firstOrderBonusPoints: 100,
      cashbackBasisPoints: 0,
    },
    rewards: [
      {
        id: 'ten-off',
        name: '50 DKK off',
        type: 'discount_code',
        pointsCost: 500,
        valueMinor: 5000,
        description: '50.00 DKK off your next order',
      },
      {
        id: 'credit',
        name: '200 DKK store credit',
        type: 'store_credit',
        pointsCost: 2000,
        valueMinor: 20000,
        description: '200.00 DKK to spend in the shop',
      },
    ],
    tiers: {
      qualifyOn: 'spend',
      levels: [
        {
          id: 'bronze',
          name: 'Bronze',
          threshold: 0,
          multiplierPercent: 100,
          perks: '',
          summary: 'Where everyone starts',
        },
        {
          id: 'silver',
          name: 'Silver',
          threshold: 50000,
          multiplierPercent: 125,
          perks: 'Free shipping',
          summary: 'From 500 DKK spent in 12 months',
        },
      ],
    },
    referral: {
      friendDiscountPercent: 10,
      referrerRewardPoints: 500,
      summary: 'Give friends 10 % off their first order and get 500 points',
    },
    links: { join: 'https://shop.example.com/account/register', signIn: 'https://shop.example.com/account/login' },
    theme: { accentColor: '#0a7d5a', logoUrl: null },
    ...over,
  });

export const meView = (balance = 740): MeView =>
  meViewSchema.parse({
    customer: { id: 'c1', firstName: 'Ada' },
    points: {
      balance,
      pending: 120,
      lifetimeEarned: 1860,
      expiresAt: null,
      pendingSpendableAt: '2026-12-20T00:00:00.000Z',
      nextExpiry: null,
    },
    storeCredit: { balanceMinor: 0, pendingMinor: 0, currency: 'DKK' },
    tier: {
      id: 'bronze',
      name: 'Bronze',
      since: '2026-03-01T00:00:00.000Z',
      reviewAt: null,
      perks: '',
      multiplierPercent: 100,
      qualifyOn: 'spend',
      progress: { current: 32000, toNext: 18000, nextTier: 'Silver' },
    },
    referral: {
      code: 'ADA-7K2',
      url: 'https://api.example.com/r/ADA-7K2',
      stats: { clicks: 4, conversions: 1, rewardPoints: 500, clawedBackPoints: 0 },
      referredBy: null,
    },
    rewards: programView().rewards.map((r) => ({
      ...r,
      affordable: balance >= r.pointsCost,
      pointsShort: Math.max(0, r.pointsCost - balance),
    })),
    history: [
      { id: 'h1', at: '2026-11-30T10:00:00.000Z', points: 120, creditMinor: 0, kind: 'earn', text: 'Order #1043' },
      { id: 'h2', at: '2026-11-02T10:00:00.000Z', points: -500, creditMinor: 0, kind: 'redeem', text: '50 DKK off' },
      { id: 'h3', at: '2026-10-15T10:00:00.000Z', points: 620, creditMinor: 0, kind: 'earn', text: 'Order #1002' },
    ],
    nextCursor: null,
  });

export const sessionResponse = () =>
  sessionResponseSchema.parse({
    sessionToken: 'session-token',
    expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    customer: { id: 'c1', firstName: 'Ada' },
  });

export const redemptionResponse = (balance: number) =>
  redemptionResponseSchema.parse({
    redemption: {
      id: 'rd1',
      rewardId: 'ten-off',
      type: 'discount_code',
      pointsCost: 500,
      valueMinor: 5000,
      code: 'BMR-7Q4X-9KDA',
      currency: 'DKK',
      at: new Date().toISOString(),
    },
    points: { balance, pending: 120 },
    storeCredit: { balanceMinor: 0, currency: 'DKK' },
  });
