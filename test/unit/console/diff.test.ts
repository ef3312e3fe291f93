import { describe, expect, it } from 'vitest';
import { programDiff, shopSettingsDiff } from '../../../shared/domain/console/diff';
import type { Shop } from '../../../shared/domain/shop';

describe('programDiff', () => {
  it('is empty for equal values, whatever the key order', () => {
    expect(programDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual([]);
  });

  it('lists each changed leaf by path with its value before and after', () => {
    const before = { earning: { pointsPerUnit: 1, roundTo: 'down' }, expiry: { months: 12 } };
    const after = { earning: { pointsPerUnit: 2, roundTo: 'down' }, expiry: { months: 18 } };
    expect(programDiff(before, after)).toEqual([
      { path: 'earning.pointsPerUnit', from: 1, to: 2 },
      { path: 'expiry.months', from: 12, to: 18 },
    ]);
  });

  it('shows added and removed settings with null on the missing side', () => {
    expect(programDiff({ a: 1 }, { b: true })).toEqual([
      { path: 'a', from: 1, to: null },
      { path: 'b', from: null, to: true },
    ]);
  });

  it('compares lists of the same length item by item, and a list that grew as one change', () => {
    const rewards = [
      { id: 'r1', cost: 100 },
      { id: 'r2', cost: 200 },
    ];
    expect(programDiff({ rewards }, { rewards: [rewards[0], { id: 'r2', cost: 250 }] })).toEqual([
      { path: 'rewards[1].cost', from: 200, to: 250 },
    ]);
    expect(programDiff({ rewards }, { rewards: [...rewards, { id: 'r3', cost: 300 }] })).toEqual([
      { path: 'rewards', from: rewards, to: [...rewards, { id: 'r3', cost: 300 }] },
    ]);
  });

  it('treats a change of type as one change', () => {
    expect(programDiff({ a: { b: 1 } }, { a: 'x' })).toEqual([{ path: 'a', from: { b: 1 }, to: 'x' }]);
  });
});

describe('shopSettingsDiff', () => {
  const shop = {
    id: 's',
    name: 'Shop',
    program: { earning: { pointsPerUnit: 1 } },
    version: 3,
    updatedAt: '2026-12-01T00:00:00.000Z',
    webhookSecret: 'whsec_old',
    webhookSecretSetAt: '2026-01-01T00:00:00.000Z',
    apiKeyHash: 'h',
  } as unknown as Shop;

  it('diffs the program and settings, never bookkeeping, and hides secrets', () => {
    const after = {
      ...shop,
      name: 'New name',
      program: { earning: { pointsPerUnit: 2 } },
      version: 4,
      updatedAt: '2026-12-02T00:00:00.000Z',
      webhookSecret: 'whsec_new',
      previousWebhookSecret: 'whsec_old',
      webhookSecretSetAt: '2026-12-02T00:00:00.000Z',
    } as unknown as Shop;
    const diff = shopSettingsDiff(shop, after);
    expect(diff).toEqual([
      { path: 'name', from: 'Shop', to: 'New name' },
      { path: 'program.earning.pointsPerUnit', from: 1, to: 2 },
      { path: 'webhookSecret', from: '(hidden)', to: '(hidden)' },
    ]);
    expect(JSON.stringify(diff)).not.toContain('whsec_');
  });
});
