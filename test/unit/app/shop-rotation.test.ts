import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import {
  createShop,
  rotateShopApiKey,
  rotateShopWebhookSecret,
  type ShopsDeps,
} from '../../../shared/app/shop-service';
import { activeWebhookSecrets, type Shop } from '../../../shared/domain/shop';
import { createShopSchema } from '../../../shared/schemas/shop';
import { validShopInput } from '../../support/stack';

const at = '2026-05-01T12:00:00.000Z';

const setup = async () => {
  const shops = new Map<string, Shop>();
  const deps: ShopsDeps = {
    clock: fixedClock(at),
    shops: {
      async create(s) {
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
  let n = 0;
  const issueApiKey = (id: string) => ({ apiKey: `bk_${id}_k${++n}`, apiKeyHash: `hash${n}`, apiKeyHint: `hint${n}` });
  const input = createShopSchema.parse(validShopInput({ id: 'snow', webhookSecret: 'old-secret-123' }));
  const created = await createShop({ ...deps, issueApiKey, newSecret: () => 'bss_1' }, input);
  if (!created.ok) throw new Error('not created');
  return { shops, deps, issueApiKey, shop: created.value.shop };
};

describe('shop secret rotation', () => {
  it('a new API key replaces the hash and hint under the version read; a lost race is concurrent_update', async () => {
    const s = await setup();
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
    const s = await setup();
    const r = await rotateShopWebhookSecret({ ...s.deps, newWebhookSecret: () => 'whsec_new' }, s.shop, 3600_000);
    if (!r.ok) throw new Error('not rotated');
    expect(r.value.webhookSecret).toBe('whsec_new');
    expect(activeWebhookSecrets(r.value.shop, new Date(at))).toEqual(['whsec_new', 'old-secret-123']);
    expect(activeWebhookSecrets(r.value.shop, new Date(Date.parse(at) + 3600_001))).toEqual(['whsec_new']);
    expect(s.shops.get('snow')?.webhookSecret).toBe('whsec_new');
  });
});
