import { describe, expect, it } from 'vitest';
import { newShop, type Shop } from '../../../shared/domain/shop';
import { historyItems, meView, programView } from '../../../shared/domain/storefront/views';
import { renderLoyaltyPage } from '../../../shared/domain/storefront/page';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import { programSchema } from '../../../shared/schemas/program';
import { createShopSchema } from '../../../shared/schemas/shop';
import type { LedgerEntry } from '../../../shared/domain/ledger/entries';

const shop: Shop = newShop(
  createShopSchema.parse({
    id: 'views',
    name: 'Views',
    platform: 'custom',
    storefrontUrl: 'https://views.example',
    currency: 'EUR',
    timezone: 'UTC',
    locale: 'en',
    webhookSecret: 'views-secret-1234',
    senderEmail: 'a@views.example',
  }),
  { apiKeyHash: 'x', apiKeyHint: 'x' },
  new Date('2026-01-01T00:00:00Z'),
);

const entry = (type: LedgerEntry['type'], available: number, pending: number): LedgerEntry => ({
  entryId: `${type}-1`,
  type,
  at: '2026-02-01T10:00:00Z',
  points: { available, pending },
  credit: { available: 0, pending: 0 },
  cause: `${type}:o-1`,
  orderId: 'o-1',
});

describe('history in plain words', () => {
  it('says how many points a confirmation made spendable, since its total change is zero', () => {
    const [en] = historyItems([entry('confirm', 938, -938)], shop, 'en');
    expect(en).toMatchObject({ kind: 'confirm', points: 0, text: '938 points for order o-1 ready to spend' });
    const [da] = historyItems([entry('confirm', 1, -1)], shop, 'da');
    expect(da!.text).toBe('1 point for ordre o-1 kan nu bruges');
  });

  it('keeps the signed total for movements that change the balance', () => {
    const items = historyItems([entry('earn', 0, 120), entry('redeem', -500, 0)], shop, 'en');
    expect(items.map((i) => [i.kind, i.points])).toEqual([
      ['earn', 120],
      ['redeem', -500],
    ]);
  });
});

describe('exclusive rewards in the storefront views', () => {
  const gated: Shop = {
    ...shop,
    program: programSchema.parse({
      membership: { enabled: true, plans: [{ id: 'vip', name: 'VIP Club' }] },
      rewards: [
        { id: 'dinner', name: 'Dinner', type: 'experience', pointsCost: 100, valueMinor: 0, stock: 4 },
        { id: 'mug', name: 'Mug', type: 'product', pointsCost: 100, valueMinor: 0, requires: { tier: 'gold' } },
        { id: 'club', name: 'Club', type: 'product', pointsCost: 100, valueMinor: 0, requires: { membership: 'vip' } },
        { id: 'once', name: 'Once', type: 'product', pointsCost: 100, valueMinor: 0, perCustomerLimit: 1 },
      ],
    }),
  };
  const now = '2026-05-01T12:00:00.000Z';
  const customer = {
    ...newCustomer('i.1', '2026-01-01T00:00:00.000Z'),
    points: { available: 500, pending: 0, lifetimeEarned: 500 },
    rewardRedemptions: { once: 1 },
  };

  it('shows what is left of a stock, sold out, and who a gated reward is for, in both languages', () => {
    const en = programView(gated, 'en', new Map([['dinner', 3]])).rewards;
    expect(en.map((r) => [r.id, r.remaining, r.soldOut, r.availabilityText, r.requiresText])).toEqual([
      ['dinner', 1, false, '1 left', null],
      ['mug', null, false, null, 'For Gold tier and above'],
      ['club', null, false, null, 'For VIP Club members'],
      ['once', null, false, null, null],
    ]);
    const da = programView(gated, 'da', new Map([['dinner', 4]])).rewards;
    expect(da.map((r) => [r.id, r.availabilityText, r.requiresText])).toEqual([
      ['dinner', 'Udsolgt', null],
      ['mug', null, 'Kun for Gold-niveau og derover'],
      ['club', null, 'Kun for VIP Club-medlemmer'],
      ['once', null, null],
    ]);
  });

  it('tells the customer which rewards are locked for them, sold out or used up, and which they can redeem', () => {
    const me = meView(gated, customer, 'i.1', 'en', now, new Map([['dinner', 4]])).rewards;
    expect(me.map((r) => [r.id, r.redeemable, r.locked, r.remainingForCustomer])).toEqual([
      ['dinner', false, null, null],
      ['mug', false, { tier: 'gold' }, null],
      ['club', false, { membership: 'vip' }, null],
      ['once', false, null, 0],
    ]);
    const member = {
      ...customer,
      tier: { id: 'gold', since: now, reviewAt: '2027-05-01T00:00:00.000Z' },
      membership: {
        planId: 'vip',
        status: 'active' as const,
        since: now,
        paidThrough: '2026-06-01T00:00:00.000Z',
        payments: [],
      },
      rewardRedemptions: {},
    };
    const open = meView(gated, member, 'i.1', 'da', now, new Map([['dinner', 1]])).rewards;
    expect(open.map((r) => [r.id, r.redeemable, r.lockedText, r.perCustomerText])).toEqual([
      ['dinner', true, null, null],
      ['mug', true, null, null],
      ['club', true, null, null],
      ['once', true, null, 'Du kan indløse 1 mere (højst 1 pr. kunde)'],
    ]);
  });

  it('dates an experience on the shop calendar, in the visitor language', () => {
    const party = programSchema.parse({
      rewards: [
        { id: 'p', name: 'P', type: 'experience', pointsCost: 1, valueMinor: 0, startsAt: '2026-12-31T23:30:00-02:00' },
      ],
    });
    // 1 January at 01:30 UTC: the shop (UTC) says 1 January, not the offset's 31 December.
    expect(programView({ ...shop, program: party }, 'en').rewards[0]).toMatchObject({
      startsAt: '2026-12-31T23:30:00-02:00',
      startsAtText: '1 January 2027',
    });
    expect(programView({ ...shop, program: party }, 'da').rewards[0]!.startsAtText).toBe('1. januar 2027');
  });

  it('renders the states on the hosted page, signed in and not', () => {
    const program = programView(gated, 'en', new Map([['dinner', 4]]));
    const anonymous = renderLoyaltyPage(program, undefined, { timeZone: 'UTC', linkExpired: false });
    expect(anonymous).toContain('Sold out');
    expect(anonymous).toContain('For Gold tier and above');
    const me = {
      ...meView(gated, customer, 'i.1', 'en', now, new Map([['dinner', 4]])),
      referral: null,
      history: [],
      nextCursor: null,
    };
    const signedIn = renderLoyaltyPage(program, me, { timeZone: 'UTC', linkExpired: false });
    const states = [...signedIn.matchAll(/data-part="reward-state">([^<]*)</g)].map((m) => m[1]);
    expect(states).toEqual([
      'Sold out',
      'For Gold tier and above',
      'For VIP Club members',
      'You can redeem 0 more (limit 1 per customer)',
    ]);
  });

  it('shows the paid membership on the hosted page: until when with its perks, or when it ended', () => {
    const membership = {
      planId: 'vip',
      status: 'active' as const,
      since: now,
      paidThrough: '2026-06-01T00:00:00.000Z',
      payments: [],
    };
    const page = (c: typeof customer & { membership: typeof membership }, at: string, locale: 'en' | 'da') =>
      renderLoyaltyPage(
        programView(gated, locale, new Map()),
        { ...meView(gated, c, 'i.1', locale, at, new Map()), referral: null, history: [], nextCursor: null },
        { timeZone: 'UTC', linkExpired: false },
      );
    const line = (html: string) => /data-part="membership">(?:<strong>)?([^<]*)</.exec(html)?.[1];
    expect(line(page({ ...customer, membership }, now, 'en'))).toBe('VIP Club member until 1 June 2026');
    expect(line(page({ ...customer, membership }, now, 'da'))).toBe('VIP Club-medlem til og med 1. juni 2026');
    // Past the paid period and the grace days: ended with its paid period, even before the daily job records it.
    expect(line(page({ ...customer, membership }, '2026-06-10T00:00:00.000Z', 'en'))).toBe(
      'Your VIP Club membership ended on 1 June 2026.',
    );
  });

  it('links a way to earn to where it is done on the hosted page, escaped', () => {
    const follow: Shop = {
      ...shop,
      program: programSchema.parse({
        waysToEarn: [{ type: 'social_follow:instagram', points: 20, url: 'https://instagram.example/a?b=1&c=<2>' }],
      }),
    };
    const html = renderLoyaltyPage(programView(follow, 'da'), undefined, { timeZone: 'UTC', linkExpired: false });
    expect(html).toContain(
      '<a href="https://instagram.example/a?b=1&amp;c=&lt;2&gt;" rel="noopener noreferrer">Følg os på Instagram</a>',
    );
  });
});
