import { describe, expect, it } from 'vitest';
import { currencyExponent, isCurrencyCode } from '../../shared/domain/money/currencies';
import { currencyCode, email, httpUrl, locale, timeZone } from '../../shared/schemas/primitives';
import { defaultProgram, programSchema } from '../../shared/schemas/program';

describe('programSchema', () => {
  it('takes a churn horizon of 14–730 days and a win-back probability in (0, 1]', () => {
    expect(programSchema.safeParse({ churn: { horizonDays: 13 } }).success).toBe(false);
    expect(programSchema.safeParse({ churn: { horizonDays: 731 } }).success).toBe(false);
    expect(programSchema.parse({ churn: { horizonDays: 273 } }).churn.horizonDays).toBe(273);
    expect(programSchema.safeParse({ winback: { noPurchaseProbability: 0 } }).success).toBe(false);
    expect(programSchema.safeParse({ winback: { noPurchaseProbability: 1.01 } }).success).toBe(false);
    expect(programSchema.parse({ winback: { noPurchaseProbability: 0.85 } }).winback.noPurchaseProbability).toBe(0.85);
  });

  it('parse({}) is the documented default program', () => {
    expect(programSchema.parse({})).toEqual({
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
          { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 100, perks: '' },
          { id: 'gold', name: 'Gold', threshold: 1500, multiplierPercent: 100, perks: '' },
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
          membership_joined: true,
          membership_renewal_due: true,
          membership_lapsed: true,
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
        { id: 'five-off', name: '5 off your next order', type: 'discount_code', pointsCost: 500, valueMinor: 500 },
        { id: 'credit-10', name: '10 store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 1000 },
      ],
      waysToEarn: [],
      surveys: { enabled: false, delayDays: 14, cooldownDays: 90, linkValidDays: 30, alertRecipients: [] },
      membership: { enabled: false, plans: [], stacking: 'multiply', renewalReminderDays: 7, graceDays: 3 },
    });
    expect(defaultProgram()).toEqual(programSchema.parse({}));
  });

  it('gives a way to earn the limit once, but a birthday once a year, unless the shop says otherwise', () => {
    const ways = programSchema.parse({
      waysToEarn: [
        { type: 'review', points: 50 },
        { type: 'birthday', points: 200 },
        { type: 'newsletter', points: 100, limit: 'unlimited' },
      ],
    }).waysToEarn;
    expect(ways.map((w) => w.limit)).toEqual(['once', 'year', 'unlimited']);
    expect(
      programSchema.parse({ waysToEarn: [{ type: 'birthday', points: 1, limit: 'once' }] }).waysToEarn[0]!.limit,
    ).toBe('once');
    expect(programSchema.safeParse({ waysToEarn: [{ type: 'bad type!', points: 1 }] }).success).toBe(false);
    // The link is shown to customers: https only (no javascript: or plain http).
    for (const url of ['javascript:alert(1)', 'http://instagram.example/shop'])
      expect(programSchema.safeParse({ waysToEarn: [{ type: 'social_follow:x', points: 1, url }] }).success).toBe(
        false,
      );
    expect(
      programSchema.parse({ waysToEarn: [{ type: 'social_follow:x', points: 1, url: 'https://x.example/shop' }] })
        .waysToEarn[0]!.url,
    ).toBe('https://x.example/shop');
  });

  it('fills defaults around a partial input at every level', () => {
    const p = programSchema.parse({ earning: { rate: { points: 3 } }, expiry: { warningDays: 0 } });
    expect(p.earning.rate).toEqual({ points: 3, per: 1 });
    expect(p.earning.basis).toBe('subtotal_after_discounts');
    expect(p.expiry).toEqual({ inactivityMonths: 12, warningDays: 0 });
    expect(p.returnWindowDays).toBe(14);
  });

  it('hands out independent default objects (mutating one program does not change the next)', () => {
    const a = defaultProgram();
    a.rewards.push({ id: 'x', name: 'x', type: 'store_credit', pointsCost: 1, valueMinor: 1 });
    a.earning.excludedSkus.push('SKU');
    a.earning.rate.points = 99;
    const b = defaultProgram();
    expect(b.rewards).toHaveLength(2);
    expect(b.earning.excludedSkus).toEqual([]);
    expect(b.earning.rate.points).toBe(1);
  });

  it.each([
    ['per 0', { earning: { rate: { per: 0 } } }, 'earning.rate.per'],
    ['negative points', { earning: { rate: { points: -1 } } }, 'earning.rate.points'],
    ['fractional points', { earning: { rate: { points: 0.5 } } }, 'earning.rate.points'],
    ['points as a string', { earning: { rate: { points: '2' } } }, 'earning.rate.points'],
    ['an unknown basis', { earning: { basis: 'gross' } }, 'earning.basis'],
    ['cashback over 100 %', { earning: { cashbackBasisPoints: 10_001 } }, 'earning.cashbackBasisPoints'],
    ['an unknown earnOn', { earning: { earnOn: 'shipped' } }, 'earning.earnOn'],
    ['a return window over a year', { returnWindowDays: 366 }, 'returnWindowDays'],
    ['negative inactivity', { expiry: { inactivityMonths: -1 } }, 'expiry.inactivityMonths'],
    [
      'a reward id with spaces',
      { rewards: [{ id: 'bad id', name: 'x', type: 'store_credit', pointsCost: 1, valueMinor: 1 }] },
      'rewards.0.id',
    ],
    [
      'a free reward',
      { rewards: [{ id: 'free', name: 'x', type: 'store_credit', pointsCost: 0, valueMinor: 1 }] },
      'rewards.0.pointsCost',
    ],
    [
      'an unknown reward type',
      { rewards: [{ id: 'r', name: 'x', type: 'cash', pointsCost: 1, valueMinor: 1 }] },
      'rewards.0.type',
    ],
    ['a multiplier without percent', { earning: { multipliers: [{ skus: ['A'] }] } }, 'earning.multipliers.0.percent'],
  ])('rejects %s', (_what, input, path) => {
    const r = programSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('currencies', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['ISK', 0],
    ['CLP', 0],
    ['EUR', 2],
    ['DKK', 2],
    ['USD', 2],
    ['GBP', 2],
    ['HUF', 2],
    ['TWD', 2],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
    ['CLF', 4],
  ])('%s has exponent %i', (code, exponent) => {
    expect(isCurrencyCode(code)).toBe(true);
    expect(currencyExponent(code)).toBe(exponent);
  });

  it.each(['XYZ', 'eur', 'Eur', 'EURO', 'EU', '', ' EUR', 'E1R'])('rejects %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    const parsed = currencyCode.safeParse(code);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/ISO 4217/);
  });

  it('currencyCode accepts real codes', () => {
    expect(currencyCode.parse('SEK')).toBe('SEK');
    expect(currencyCode.parse('KWD')).toBe('KWD');
  });
});

describe('primitives', () => {
  it.each(['Europe/Copenhagen', 'America/New_York', 'UTC', 'Asia/Kolkata'])('timeZone accepts %s', (tz) => {
    expect(timeZone.safeParse(tz).success).toBe(true);
  });
  it.each(['Mars/Olympus_Mons', 'Europe/Atlantis', '+01:00', ''])('timeZone rejects %j', (tz) => {
    expect(timeZone.safeParse(tz).success).toBe(false);
  });
  it.each(['da-DK', 'en', 'de-CH', 'zh-Hant-TW'])('locale accepts %s', (tag) => {
    expect(locale.safeParse(tag).success).toBe(true);
  });
  it.each(['en_US', 'not a locale', '', 'x'])('locale rejects %j', (tag) => {
    expect(locale.safeParse(tag).success).toBe(false);
  });
  it('httpUrl accepts http(s) only', () => {
    expect(httpUrl.safeParse('https://shop.example.com').success).toBe(true);
    expect(httpUrl.safeParse('http://localhost:3000/x').success).toBe(true);
    expect(httpUrl.safeParse('ftp://shop.example.com').success).toBe(false);
    expect(httpUrl.safeParse('javascript:alert(1)').success).toBe(false);
    expect(httpUrl.safeParse('shop.example.com').success).toBe(false);
  });
  it('email', () => {
    expect(email.safeParse('a.b+c@example.co.uk').success).toBe(true);
    expect(email.safeParse('not-an-email').success).toBe(false);
    expect(email.safeParse('a@b').success).toBe(false);
  });
});

describe('tiers, e-mails and win-back settings', () => {
  it('rejects a tier ladder that does not start at 0, is out of order or repeats an id', () => {
    const bad = (levels: unknown[]) => programSchema.safeParse({ tiers: { levels } }).success;
    expect(bad([{ id: 'a', name: 'A', threshold: 10 }])).toBe(false);
    expect(
      bad([
        { id: 'a', name: 'A', threshold: 0 },
        { id: 'b', name: 'B', threshold: 0 },
      ]),
    ).toBe(false);
    expect(
      bad([
        { id: 'a', name: 'A', threshold: 0 },
        { id: 'a', name: 'B', threshold: 5 },
      ]),
    ).toBe(false);
    expect(
      bad([
        { id: 'a', name: 'A', threshold: 0 },
        { id: 'b', name: 'B', threshold: 5, multiplierPercent: 150 },
      ]),
    ).toBe(true);
  });

  it('accepts overrides per e-mail type and two-letter language only', () => {
    expect(
      programSchema.safeParse({ emails: { overrides: { tier_up: { da: { subject: 'Tillykke' } } } } }).success,
    ).toBe(true);
    expect(programSchema.safeParse({ emails: { overrides: { tier_up: { 'da-DK': { subject: 'x' } } } } }).success).toBe(
      false,
    );
    expect(programSchema.safeParse({ emails: { overrides: { nope: { da: { subject: 'x' } } } } }).success).toBe(false);
    expect(programSchema.safeParse({ emails: { overrides: { tier_up: { da: { html: '<b>x</b>' } } } } }).success).toBe(
      false,
    );
  });
});
