import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import type { BodyBindingStore, RedactionStore } from '../../shared/app/ports/webhook-trust';
import { cancelRedaction, runDueRedactions } from '../../shared/app/redaction-service';
import { receiveWebhook, type Delivery, type WebhookDeps } from '../../shared/app/webhook-service';
import type { Redaction } from '../../shared/domain/privacy/redaction';
import type { Shop } from '../../shared/domain/shop';
import { checkBinding, type BodyBinding } from '../../shared/domain/webhooks/body-binding';
import { claimedShopifyIdentity, matchShopifyIdentity } from '../../shared/domain/webhooks/shop-identity';
import {
  customTopic,
  shopifyTopic,
  wooCommerceTopic,
  type ShopifyTopicName,
  type Topic,
} from '../../shared/domain/webhooks/topics';
import { defaultProgram } from '../../shared/schemas/program';
import { fixtureJson, shopifyFixtures as F } from '../fixtures/webhooks';
import { memoryLedgerStore } from '../support/memory-ledger-store';
import { testRetryDeps } from '../support/deterministic';

describe('topics', () => {
  it('accepts exactly the documented topics of each platform', () => {
    for (const t of [
      'orders/create',
      'orders/updated',
      'orders/paid',
      'orders/cancelled',
      'orders/delete',
      'refunds/create',
      'customers/data_request',
      'customers/redact',
      'shop/redact',
    ]) {
      expect(shopifyTopic(t).ok, t).toBe(true);
    }
    expect(shopifyTopic(' Orders/Paid ')).toEqual({ ok: true, value: { name: 'orders/paid', meaning: 'order' } });
    for (const t of ['', 'products/update', 'app/uninstalled', 'orders/fulfilled', 'constructor', '__proto__']) {
      expect(shopifyTopic(t)).toMatchObject({ ok: false, error: { kind: 'unknown_topic' } });
    }
    expect(customTopic('shop.redact')).toEqual({ ok: true, value: { name: 'shop.redact', meaning: 'shop_redact' } });
    expect(customTopic('order.deleted').ok).toBe(false);
  });

  it('WooCommerce: the topic must agree with the resource and event headers', () => {
    expect(wooCommerceTopic({ topic: 'order.deleted', resource: 'order', event: 'deleted' })).toEqual({
      ok: true,
      value: { name: 'order.deleted', meaning: 'order_deleted' },
    });
    expect(wooCommerceTopic({ topic: 'order.updated' }).ok).toBe(true);
    expect(wooCommerceTopic({ topic: 'order.deleted', resource: 'order', event: 'updated' })).toMatchObject({
      ok: false,
      error: { kind: 'inconsistent_topic' },
    });
    expect(wooCommerceTopic({ topic: 'product.updated', resource: 'product', event: 'updated' })).toMatchObject({
      ok: false,
      error: { kind: 'unknown_topic' },
    });
  });
});

describe('Shopify shop identity', () => {
  it("reads it from compliance payloads and from an order's status link", () => {
    expect(claimedShopifyIdentity({ shop_id: 954889, shop_domain: 'Snow.myshopify.com' })).toEqual({
      shopId: '954889',
      domain: 'snow.myshopify.com',
    });
    expect(claimedShopifyIdentity(fixtureJson(F.ordersCreate))).toEqual({
      shopId: '548380009',
      domain: 'jsmith.myshopify.com',
    });
    // A custom storefront domain still names the shop id.
    expect(
      claimedShopifyIdentity({ order_status_url: 'https://shop.example.com/42/orders/abc/authenticate?key=k' }),
    ).toEqual({ shopId: '42' });
    expect(claimedShopifyIdentity({ id: 1 })).toEqual({});
  });

  it('refuses a claim that contradicts what is known and completes what is not', () => {
    expect(matchShopifyIdentity({ shopId: '1' }, { shopId: '2' })).toMatchObject({
      ok: false,
      error: { field: 'shop_id' },
    });
    expect(matchShopifyIdentity({ domain: 'a.myshopify.com' }, { domain: 'b.myshopify.com' })).toMatchObject({
      ok: false,
      error: { field: 'shop_domain' },
    });
    expect(matchShopifyIdentity({ shopId: '1' }, { shopId: '1', domain: 'a.myshopify.com' })).toEqual({
      ok: true,
      value: { shopId: '1', domain: 'a.myshopify.com' },
    });
  });
});

describe('body binding', () => {
  const first: BodyBinding = {
    bodySha256: 'h',
    platform: 'shopify',
    shopId: 's1',
    topic: 'orders/paid',
    meaning: 'order',
    firstAt: '2026-01-01T00:00:00Z',
  };
  it('the same bytes keep their first meaning and shop', () => {
    expect(checkBinding(first, { ...first, topic: 'orders/create' })).toBeUndefined();
    expect(checkBinding(first, { ...first, topic: 'shop/redact', meaning: 'shop_redact' })).toEqual({
      kind: 'topic_mismatch',
      first,
    });
    expect(checkBinding(first, { ...first, shopId: 's2' })).toEqual({ kind: 'shop_mismatch', first });
  });
});

const memoryTrust = () => {
  const bindings = new Map<string, BodyBinding>();
  const redactions = new Map<string, Redaction>();
  const bindingStore: BodyBindingStore = {
    async bind(b) {
      const first = bindings.get(b.bodySha256);
      if (first) return { bound: false, first };
      bindings.set(b.bodySha256, b);
      return { bound: true };
    },
  };
  const redactionStore: RedactionStore = {
    async create(r) {
      if (redactions.has(r.id)) return false;
      redactions.set(r.id, structuredClone(r));
      return true;
    },
    async get(_s, id) {
      return structuredClone(redactions.get(id));
    },
    async list(shopId) {
      return [...redactions.values()].filter((r) => r.shopId === shopId);
    },
    async due(asOf) {
      return [...redactions.values()].filter((r) => r.status === 'scheduled' && r.dueAt! <= asOf.toISOString());
    },
    async settle(next) {
      if (redactions.get(next.id)?.status !== 'scheduled') return false;
      redactions.set(next.id, structuredClone(next));
      return true;
    },
  };
  return { bindings, redactions, bindingStore, redactionStore };
};

describe('receiveWebhook', () => {
  const setup = () => {
    const clock = fixedClock('2026-05-01T12:00:00Z');
    let shop: Shop = {
      id: 's',
      platform: 'shopify',
      currency: 'USD',
      program: defaultProgram(),
      status: 'active',
      version: 1,
    } as Shop;
    const deleted: string[] = [];
    const learned: unknown[] = [];
    const trust = memoryTrust();
    const shops = {
      get: async () => (deleted.includes(shop.id) ? undefined : structuredClone(shop)),
      replace: async (next: Shop, expected: number) => {
        if (shop.version !== expected) return false;
        shop = structuredClone(next);
        return true;
      },
    };
    const deps: WebhookDeps = {
      store: memoryLedgerStore().store,
      clock,
      newId: () => 'E1',
      ...testRetryDeps(),
      bindings: trust.bindingStore,
      identities: {
        learnShopifyIdentity: async (_id, identity) => {
          learned.push(identity);
          shop = {
            ...shop,
            shopifyShopId: shop.shopifyShopId ?? identity.shopId,
            shopifyDomain: shop.shopifyDomain ?? identity.domain,
          };
        },
      },
      redaction: { redactions: trust.redactionStore, shops, clock, ...testRetryDeps() },
      shopRedactionDelayMs: 48 * 3600_000,
    };
    const deliver = (
      topic: Topic<ShopifyTopicName>,
      json: unknown,
      bodySha256: string,
      extra: Pick<Delivery, 'deliveryId' | 'shopDomainHeader'> = {},
    ) => receiveWebhook(deps, shop, { platform: 'shopify', topic, json, bodySha256, ...extra });
    const topic = (name: string) => {
      const t = shopifyTopic(name);
      if (!t.ok) throw new Error(name);
      return t.value;
    };
    return { deps, deliver, topic, trust, learned, deleted, shops, current: () => shop };
  };
  const redactBody = { shop_id: 548380009, shop_domain: 'jsmith.myshopify.com' };

  it('refuses the bytes of an order replayed under a topic of another meaning, even if its schema let them through', async () => {
    const t = setup();
    t.trust.bindings.set('h1', {
      bodySha256: 'h1',
      platform: 'shopify',
      shopId: 's',
      topic: 'orders/paid',
      meaning: 'order',
      firstAt: '',
    });
    const r = await t.deliver(t.topic('shop/redact'), redactBody, 'h1', { shopDomainHeader: 'jsmith.myshopify.com' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'topic_mismatch' } });
    expect(t.current().status).toBe('active');
    expect(t.trust.redactions.size).toBe(0);
  });

  it('learns the shop from its first order, then refuses a compliance body naming another shop', async () => {
    const t = setup();
    const order = await t.deliver(t.topic('orders/paid'), fixtureJson(F.ordersCreate), 'h-order');
    expect(order.ok).toBe(true);
    expect(t.learned).toEqual([{ shopId: '548380009', domain: 'jsmith.myshopify.com' }]);
    const other = await t.deliver(t.topic('shop/redact'), { shop_id: 1, shop_domain: 'jsmith.myshopify.com' }, 'h-x', {
      shopDomainHeader: 'jsmith.myshopify.com',
    });
    expect(other).toMatchObject({ ok: false, error: { kind: 'shop_mismatch' } });
  });

  it('a compliance body for a shop of unknown identity must at least agree with the domain header', async () => {
    const t = setup();
    expect(await t.deliver(t.topic('shop/redact'), redactBody, 'h2')).toMatchObject({
      ok: false,
      error: { kind: 'shop_mismatch' },
    });
    expect(
      await t.deliver(t.topic('shop/redact'), redactBody, 'h2', { shopDomainHeader: 'other.myshopify.com' }),
    ).toMatchObject({ ok: false, error: { kind: 'shop_mismatch' } });
    expect(t.current().status).toBe('active');
  });

  it('shop/redact is two-step: marked now, deleted when due, never after a cancel', async () => {
    const t = setup();
    const r = await t.deliver(t.topic('shop/redact'), redactBody, 'h3', {
      shopDomainHeader: 'jsmith.myshopify.com',
      deliveryId: 'd-1',
    });
    expect(r).toEqual({
      ok: true,
      value: { status: 'shop_redaction_scheduled', redactionId: 'rd_h3', dueAt: '2026-05-03T12:00:00.000Z' },
    });
    expect(t.current()).toMatchObject({
      status: 'redacting',
      redaction: { id: 'rd_h3', dueAt: '2026-05-03T12:00:00.000Z' },
    });
    const deleteEverything = async (id: string) => {
      t.deleted.push(id);
      return 7;
    };
    const run = (at: string) =>
      runDueRedactions({ ...t.deps.redaction, clock: fixedClock(at), deleteEverything }, new Date(at));
    expect(await run('2026-05-03T11:59:59Z')).toEqual([]);
    expect(await cancelRedaction(t.deps.redaction, 's', 'rd_h3', 'operator')).toMatchObject({
      ok: true,
      value: { status: 'cancelled' },
    });
    expect(t.current().status).toBe('active');
    expect(t.current().redaction).toBeUndefined();
    expect(await run('2026-05-04T00:00:00Z')).toEqual([]);
    expect(t.deleted).toEqual([]);

    const again = await t.deliver(t.topic('shop/redact'), { ...redactBody, shop_id: '548380009' }, 'h4', {
      shopDomainHeader: 'jsmith.myshopify.com',
    });
    expect(again.ok).toBe(true);
    const done = await run('2026-05-03T12:00:00Z');
    expect(done).toEqual([expect.objectContaining({ id: 'rd_h4', status: 'done', erased: 7 })]);
    expect(t.deleted).toEqual(['s']);
    expect(await cancelRedaction(t.deps.redaction, 's', 'rd_h4', 'operator')).toEqual({
      ok: false,
      error: { kind: 'not_scheduled', status: 'done' },
    });
  });
});
