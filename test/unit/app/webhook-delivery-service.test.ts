import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { shopCache, type ShopLoader } from '../../../shared/app/shop-cache';
import { receiveDelivery, type RawDelivery } from '../../../shared/app/webhook-delivery-service';
import type { WebhookDeps } from '../../../shared/app/webhook-service';
import type { Shop } from '../../../shared/domain/shop';
import { defaultProgram } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import {
  sampleShopifyShop,
  shopifyCompliance,
  shopifyHeaders,
  shopifyPaidOrder,
  wooHeaders,
} from '../../support/payloads';
import { testRetryDeps } from '../../support/deterministic';

const now = '2026-05-01T12:00:00Z';
const baseShop = {
  id: 's',
  platform: 'shopify',
  currency: 'USD',
  program: defaultProgram(),
  status: 'active',
  version: 1,
  webhookSecret: 'new-secret',
  shopifyShopId: sampleShopifyShop.shopId,
  shopifyDomain: sampleShopifyShop.domain,
} as Shop;

/** A loader over one stored shop that counts reads and can hand out a stale copy. */
const loaderOver = (stored: () => Shop | undefined, cached?: Shop) => {
  const reads: ('cached' | 'fresh')[] = [];
  const forgotten: string[] = [];
  const shops: ShopLoader = {
    async get(_id, fresh = false) {
      reads.push(fresh ? 'fresh' : 'cached');
      return structuredClone(!fresh && cached ? cached : stored());
    },
    forget(id) {
      forgotten.push(id);
    },
  };
  return { shops, reads, forgotten };
};

const webhookDeps = (shop: () => Shop): WebhookDeps => ({
  store: memoryLedgerStore().store,
  clock: fixedClock(now),
  newId: () => 'E1',
  ...testRetryDeps(),
  bindings: { bind: async () => ({ bound: true }) },
  identities: { learnShopifyIdentity: async () => undefined },
  redaction: {
    redactions: {
      create: async () => true,
      get: async () => undefined,
      list: async () => [],
      due: async () => [],
      settle: async () => true,
    },
    shops: { get: async () => structuredClone(shop()), replace: async () => true },
    clock: fixedClock(now),
    ...testRetryDeps(),
  },
  shopRedactionDelayMs: 48 * 3600_000,
});

const shopifyDelivery = (body: string, secret: string, topic: string, over: Partial<RawDelivery> = {}): RawDelivery => {
  const h = shopifyHeaders(body, secret, topic);
  return {
    platform: 'shopify',
    shopId: 's',
    body: () => Buffer.from(body),
    signature: h['x-shopify-hmac-sha256'],
    topicHeaders: { topic },
    deliveryIdHeader: 'wh-1',
    shopDomain: sampleShopifyShop.domain,
    ...over,
  };
};

describe('receiveDelivery', () => {
  it('accepts a signed order from the cache alone', async () => {
    const t = loaderOver(() => baseShop);
    const r = await receiveDelivery(
      { webhook: webhookDeps(() => baseShop), shops: t.shops },
      shopifyDelivery(shopifyPaidOrder(), 'new-secret', 'orders/paid'),
    );
    expect(r).toMatchObject({
      ok: true,
      value: { kind: 'received', topic: 'orders/paid', deliveryId: 'wh-1', outcome: { status: 'processed' } },
    });
    expect(t.reads).toEqual(['cached']);
  });

  it('reads the shop afresh once when a cached copy predates a secret rotation, and refuses a bad signature', async () => {
    const stale = { ...baseShop, webhookSecret: 'old-secret' };
    const t = loaderOver(() => baseShop, stale);
    const r = await receiveDelivery(
      { webhook: webhookDeps(() => baseShop), shops: t.shops },
      shopifyDelivery(shopifyPaidOrder(), 'new-secret', 'orders/paid'),
    );
    expect(r.ok).toBe(true);
    expect(t.reads).toEqual(['cached', 'fresh']);
    const bad = await receiveDelivery(
      { webhook: webhookDeps(() => baseShop), shops: t.shops },
      shopifyDelivery(shopifyPaidOrder(), 'wrong', 'orders/paid'),
    );
    expect(bad).toEqual({ ok: false, error: { kind: 'invalid_signature' } });
  });

  it('tells an unknown shop, another platform, bad JSON and an unsupported topic apart, before reading the body where it can', async () => {
    const none = loaderOver(() => undefined);
    let bodyRead = false;
    const d = shopifyDelivery('{}', 'new-secret', 'orders/paid', {
      body: () => {
        bodyRead = true;
        return Buffer.from('{}');
      },
    });
    expect(await receiveDelivery({ webhook: webhookDeps(() => baseShop), shops: none.shops }, d)).toEqual({
      ok: false,
      error: { kind: 'shop_not_found' },
    });
    expect(bodyRead).toBe(false);
    const t = loaderOver(() => baseShop);
    const deps = { webhook: webhookDeps(() => baseShop), shops: t.shops };
    expect(await receiveDelivery(deps, { ...d, platform: 'custom' })).toEqual({
      ok: false,
      error: { kind: 'wrong_platform', configured: 'shopify' },
    });
    expect(await receiveDelivery(deps, shopifyDelivery('{nope', 'new-secret', 'orders/paid'))).toMatchObject({
      ok: false,
      error: { kind: 'malformed_json' },
    });
    expect(await receiveDelivery(deps, shopifyDelivery('{}', 'new-secret', 'products/update'))).toMatchObject({
      ok: false,
      error: { kind: 'unknown_topic', topic: 'products/update' },
    });
    expect(await receiveDelivery(deps, shopifyDelivery('{}', 'new-secret', 'orders/paid'))).toMatchObject({
      ok: false,
      error: { kind: 'refused', topic: 'orders/paid', refusal: { kind: 'invalid_payload' } },
    });
  });

  it("answers WooCommerce's unsigned ping", async () => {
    const woo = { ...baseShop, platform: 'woocommerce' } as Shop;
    const t = loaderOver(() => woo);
    const ping: RawDelivery = {
      platform: 'woocommerce',
      shopId: 's',
      body: () => Buffer.from('webhook_id=12'),
      topicHeaders: {},
    };
    expect(await receiveDelivery({ webhook: webhookDeps(() => woo), shops: t.shops }, ping)).toEqual({
      ok: true,
      value: { kind: 'ping' },
    });
    const signed = {
      ...ping,
      signature: wooHeaders('webhook_id=12', 'new-secret', 'order.updated')['x-wc-webhook-signature'],
    };
    expect(await receiveDelivery({ webhook: webhookDeps(() => woo), shops: t.shops }, signed)).toMatchObject({
      ok: false,
      error: { kind: 'malformed_json' },
    });
  });

  it('acts on a fresh shop for shop/redact, and drops the cached copy once its deletion is scheduled', async () => {
    const t = loaderOver(() => baseShop);
    const body = shopifyCompliance('shop_redact.sample.2026-07.json');
    const r = await receiveDelivery(
      { webhook: webhookDeps(() => baseShop), shops: t.shops },
      shopifyDelivery(body, 'new-secret', 'shop/redact'),
    );
    expect(r).toMatchObject({
      ok: true,
      value: { kind: 'received', topic: 'shop/redact', outcome: { status: 'shop_redaction_scheduled' } },
    });
    expect(t.reads).toEqual(['cached', 'fresh']);
    expect(t.forgotten).toEqual(['s']);
  });
});

describe('shopCache', () => {
  it('reuses a shop within its time, reads afresh when asked or forgotten, and shares one load', async () => {
    let ms = 0;
    let reads = 0;
    const cache = shopCache({ ttlMs: 5_000, max: 10, nowMs: () => ms });
    const shops = cache.loader(async () => {
      reads++;
      return { ...baseShop, version: reads };
    });
    const [a, b] = await Promise.all([shops.get('s'), shops.get('s')]);
    expect([a?.version, b?.version, reads]).toEqual([1, 1, 1]);
    ms = 4_999;
    expect((await shops.get('s'))?.version).toBe(1);
    expect((await shops.get('s', true))?.version).toBe(2);
    expect((await shops.get('s'))?.version).toBe(2);
    shops.forget('s');
    expect((await shops.get('s'))?.version).toBe(3);
    ms = 20_000;
    expect((await shops.get('s'))?.version).toBe(4);
  });

  it('remembers a missing shop for its own, shorter time', async () => {
    let ms = 0;
    let reads = 0;
    const shops = shopCache({ ttlMs: 60_000, missTtlMs: 10_000, max: 10, nowMs: () => ms }).loader(async () => {
      reads++;
      return undefined;
    });
    await shops.get('gone');
    ms = 9_999;
    await shops.get('gone');
    expect(reads).toBe(1);
    ms = 10_000;
    await shops.get('gone');
    expect(reads).toBe(2);
  });
});
