import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { createShop, updateShop, type ShopsDeps } from '../../../shared/app/shops-service';
import type { Shop } from '../../../shared/domain/shop';
import { createShopSchema, patchShopSchema } from '../../../shared/schemas/shop';
import { validShopInput } from '../../support/stack';

const at = '2026-05-01T12:00:00.000Z';

const memoryShops = () => {
  const shops = new Map<string, Shop>();
  const deps: ShopsDeps = {
    clock: fixedClock(at),
    shops: {
      async create(s) {
        if (shops.has(s.id)) return false;
        shops.set(s.id, structuredClone(s));
        return true;
      },
      async replace(s, expected) {
        if (shops.get(s.id)?.version !== expected) return false;
        shops.set(s.id, structuredClone(s));
        return true;
      },
    },
  };
  return { shops, deps };
};

const issueApiKey = (id: string) => ({ apiKey: `bk_${id}_secret`, apiKeyHash: 'hash', apiKeyHint: `bk_${id}_…cret` });

describe('shops service', () => {
  it('creates a shop once, with the key issued for it', async () => {
    const m = memoryShops();
    const input = createShopSchema.parse(validShopInput({ id: 'snow' }));
    const r = await createShop({ ...m.deps, issueApiKey }, input);
    expect(r).toMatchObject({
      ok: true,
      value: { apiKey: 'bk_snow_secret', shop: { id: 'snow', apiKeyHash: 'hash', createdAt: at } },
    });
    expect(await createShop({ ...m.deps, issueApiKey }, input)).toEqual({
      ok: false,
      error: { kind: 'shop_exists', id: 'snow' },
    });
  });

  it('updates under the version read, refusing an invalid program and a lost race', async () => {
    const m = memoryShops();
    const created = await createShop(
      { ...m.deps, issueApiKey },
      createShopSchema.parse(validShopInput({ id: 'snow' })),
    );
    if (!created.ok) throw new Error('not created');
    const shop = created.value.shop;
    const renamed = await updateShop(m.deps, shop, patchShopSchema.parse({ name: 'Snow & Ice' }), 0);
    expect(renamed).toMatchObject({ ok: true, value: { name: 'Snow & Ice' } });
    // `shop` is now stale: its version was taken by the update above.
    expect(await updateShop(m.deps, shop, patchShopSchema.parse({ name: 'Again' }), 0)).toEqual({
      ok: false,
      error: { kind: 'concurrent_update' },
    });
    expect(
      await updateShop(m.deps, shop, patchShopSchema.parse({ program: { earning: { rate: { per: 0 } } } }), 0),
    ).toMatchObject({ ok: false, error: { kind: 'invalid_program' } });
  });
});
