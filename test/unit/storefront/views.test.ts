import { describe, expect, it } from 'vitest';
import { newShop, type Shop } from '../../../shared/domain/shop';
import { historyItems } from '../../../shared/domain/storefront/views';
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
