import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import {
  createShop,
  rotateShopApiKey,
  rotateShopStorefrontSecret,
  rotateShopWebhookSecret,
  updateShop,
  type ShopsDeps,
} from '../../../shared/app/shop-service';
import {
  activeStorefrontSecrets,
  activeWebhookSecrets,
  publicShop,
  rotateStorefrontSecret,
  type Shop,
} from '../../../shared/domain/shop';
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

let secrets = 0;
const newSecret = () => `bss_${++secrets}`;
const issueApiKey = (id: string) => ({ apiKey: `bk_${id}_secret`, apiKeyHash: 'hash', apiKeyHint: `bk_${id}_…cret` });

describe('shops service', () => {
  it('creates a shop once, with the key issued for it', async () => {
    const m = memoryShops();
    const input = createShopSchema.parse(validShopInput({ id: 'snow' }));
    const r = await createShop({ ...m.deps, issueApiKey, newSecret }, input);
    expect(r).toMatchObject({
      ok: true,
      value: {
        apiKey: 'bk_snow_secret',
        storefrontSecret: expect.stringMatching(/^bss_\d+$/),
        shop: { id: 'snow', apiKeyHash: 'hash', createdAt: at },
      },
    });
    expect(await createShop({ ...m.deps, issueApiKey, newSecret }, input)).toEqual({
      ok: false,
      error: { kind: 'shop_exists', id: 'snow' },
    });
  });

  it('updates under the version read, refusing an invalid program and a lost race', async () => {
    const m = memoryShops();
    const created = await createShop(
      { ...m.deps, issueApiKey, newSecret },
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

  it('rotates the storefront secret, keeping the previous one for the grace period only', async () => {
    const m = memoryShops();
    const created = await createShop(
      { ...m.deps, issueApiKey, newSecret },
      createShopSchema.parse(validShopInput({ id: 'frost' })),
    );
    if (!created.ok) throw new Error('not created');
    const first = created.value.storefrontSecret;
    expect(activeStorefrontSecrets(created.value.shop, new Date(at))).toEqual([first]);
    const rotated = await rotateShopStorefrontSecret({ ...m.deps, newSecret }, created.value.shop, 3600_000);
    if (!rotated.ok) throw new Error('not rotated');
    const second = rotated.value.storefrontSecret;
    expect(second).not.toBe(first);
    expect(publicShop(rotated.value.shop)).not.toHaveProperty('storefrontSecret');
    expect(publicShop(rotated.value.shop)).not.toHaveProperty('previousStorefrontSecret');
    expect(activeStorefrontSecrets(rotated.value.shop, new Date(Date.parse(at) + 3599_000))).toEqual([second, first]);
    expect(activeStorefrontSecrets(rotated.value.shop, new Date(Date.parse(at) + 3600_000))).toEqual([second]);
    // A rotation from a stale read loses: the stored shop has moved on.
    expect(await rotateShopStorefrontSecret({ ...m.deps, newSecret }, created.value.shop, 0)).toEqual({
      ok: false,
      error: { kind: 'concurrent_update' },
    });
  });

  it('gives a shop made before the storefront its first secret, with nothing previous', async () => {
    const m = memoryShops();
    const created = await createShop(
      { ...m.deps, issueApiKey, newSecret },
      createShopSchema.parse(validShopInput({ id: 'old' })),
    );
    if (!created.ok) throw new Error('not created');
    const { storefrontSecret: _s, storefrontSecretSetAt: _a, ...legacy } = created.value.shop;
    expect(activeStorefrontSecrets(legacy, new Date(at))).toEqual([]);
    const first = rotateStorefrontSecret(legacy, 'bss_first', new Date(at), 3600_000);
    expect(first.storefrontSecret).toBe('bss_first');
    expect(first.previousStorefrontSecret).toBeUndefined();
    expect(first.version).toBe(legacy.version + 1);
  });
});

/** A created shop `snow` in memory, with an API key issuer that counts. */
const createdShop = async () => {
  const { shops, deps } = memoryShops();
  let n = 0;
  const issueApiKey = (id: string) => ({ apiKey: `bk_${id}_k${++n}`, apiKeyHash: `hash${n}`, apiKeyHint: `hint${n}` });
  const input = createShopSchema.parse(validShopInput({ id: 'snow', webhookSecret: 'old-secret-123' }));
  const created = await createShop({ ...deps, issueApiKey, newSecret: () => 'bss_1' }, input);
  if (!created.ok) throw new Error('not created');
  return { shops, deps, issueApiKey, shop: created.value.shop };
};

describe('shop secret rotation', () => {
  it('a new API key replaces the hash and hint under the version read; a lost race is concurrent_update', async () => {
    const s = await createdShop();
    const r = await rotateShopApiKey({ ...s.deps, issueApiKey: s.issueApiKey }, s.shop);
    expect(r).toMatchObject({
      ok: true,
      value: { apiKey: 'bk_snow_k2', shop: { apiKeyHash: 'hash2', apiKeyHint: 'hint2' } },
    });
    expect(s.shops.get('snow')).toMatchObject({ apiKeyHash: 'hash2', version: s.shop.version + 1, updatedAt: at });
    expect(await rotateShopApiKey({ ...s.deps, issueApiKey: s.issueApiKey }, s.shop)).toEqual({
      ok: false,
      error: { kind: 'concurrent_update' },
    });
  });

  it('a new webhook secret keeps the previous one verifying for the grace period', async () => {
    const s = await createdShop();
    const r = await rotateShopWebhookSecret({ ...s.deps, newWebhookSecret: () => 'whsec_new' }, s.shop, 3600_000);
    if (!r.ok) throw new Error('not rotated');
    expect(r.value.webhookSecret).toBe('whsec_new');
    expect(activeWebhookSecrets(r.value.shop, new Date(at))).toEqual(['whsec_new', 'old-secret-123']);
    expect(activeWebhookSecrets(r.value.shop, new Date(Date.parse(at) + 3600_001))).toEqual(['whsec_new']);
    expect(s.shops.get('snow')?.webhookSecret).toBe('whsec_new');
  });
});
