import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSecret, issueShopApiKey, safeEqual } from '../../shared/adapters/secrets';
import { activeWebhookSecrets, newShop, patchShop, publicShop, type Shop } from '../../shared/domain/shop';
import { defaultProgram } from '../../shared/schemas/program';
import { createShopSchema, patchShopSchema } from '../../shared/schemas/shop';

const created = new Date('2024-05-01T10:00:00.000Z');
const later = new Date('2024-05-02T12:30:00.000Z');
const day = 24 * 3600_000;

const input = (overrides: Record<string, unknown> = {}) =>
  createShopSchema.parse({
    id: 'acme',
    name: 'Acme',
    platform: 'shopify',
    storefrontUrl: 'https://acme.example.com',
    currency: 'DKK',
    timezone: 'Europe/Copenhagen',
    locale: 'da-DK',
    webhookSecret: 'whsec_original_0123456789',
    senderEmail: 'hello@acme.example.com',
    ...overrides,
  });

const shop = (overrides: Record<string, unknown> = {}): Shop =>
  newShop(input(overrides), { apiKeyHash: 'h'.repeat(64), apiKeyHint: 'bk_acme_…abcd' }, created);

/** Recursively freezes, so a mutation of the input makes the test throw. */
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
};

const mustPatch = (s: Shop, patch: unknown, now = later, grace = day): Shop => {
  const r = patchShop(s, patchShopSchema.parse(patch), now, grace);
  if (!r.ok) throw new Error(`patch failed: ${JSON.stringify(r.error)}`);
  return r.value;
};

describe('newShop', () => {
  it('creates an active shop at version 1 with the default program', () => {
    const s = shop();
    expect(s).toMatchObject({
      id: 'acme',
      status: 'active',
      version: 1,
      createdAt: created.toISOString(),
      updatedAt: created.toISOString(),
      webhookSecretSetAt: created.toISOString(),
      webhookSecret: 'whsec_original_0123456789',
      marketerEmails: [],
    });
    expect(s.program).toEqual(defaultProgram());
    expect(s.previousWebhookSecret).toBeUndefined();
  });
});

describe('patchShop', () => {
  it('sets plain fields, bumps version and updatedAt, keeps createdAt and identity', () => {
    const before = deepFreeze(shop());
    const after = mustPatch(before, { name: 'Acme 2', currency: 'EUR' });
    expect(after).toMatchObject({
      id: 'acme',
      platform: 'shopify',
      name: 'Acme 2',
      currency: 'EUR',
      version: 2,
      updatedAt: later.toISOString(),
      createdAt: created.toISOString(),
    });
    expect(after.program).toEqual(before.program);
    expect(before.name).toBe('Acme');
  });

  it('deep-merges a program patch and keeps every other setting', () => {
    const before = deepFreeze(shop());
    const after = mustPatch(before, { program: { earning: { rate: { points: 2 } } } });
    expect(after.program.earning.rate).toEqual({ points: 2, per: 1 });
    expect(after.program).toEqual({
      ...before.program,
      earning: { ...before.program.earning, rate: { points: 2, per: 1 } },
    });
    // The original is untouched (deepFreeze would have thrown on a write anyway).
    expect(before.program.earning.rate).toEqual({ points: 1, per: 1 });
  });

  it('deep-merges into a customised program: nothing outside the patched leaf reverts to defaults', () => {
    const custom = {
      earning: { rate: { points: 5, per: 10 }, basis: 'total', minimumOrderMinor: 1000, excludedSkus: ['GIFT'] },
      returnWindowDays: 30,
      expiry: { inactivityMonths: 6, warningDays: 10 },
    };
    const before = deepFreeze(shop({ program: custom }));
    const after = mustPatch(before, { program: { earning: { rate: { points: 2 } }, expiry: { warningDays: 3 } } });
    expect(after.program.earning).toEqual({ ...before.program.earning, rate: { points: 2, per: 10 } });
    expect(after.program.earning.basis).toBe('total');
    expect(after.program.earning.minimumOrderMinor).toBe(1000);
    expect(after.program.earning.excludedSkus).toEqual(['GIFT']);
    expect(after.program.returnWindowDays).toBe(30);
    expect(after.program.expiry).toEqual({ inactivityMonths: 6, warningDays: 3 });
  });

  it('replaces arrays instead of merging them', () => {
    const after = mustPatch(shop(), { program: { rewards: [], earning: { excludedSkus: ['GIFT'] } } });
    expect(after.program.rewards).toEqual([]);
    expect(after.program.earning.excludedSkus).toEqual(['GIFT']);
    expect(after.program.earning.rate).toEqual({ points: 1, per: 1 });
  });

  it('an empty program patch changes nothing in the program', () => {
    const s = shop();
    expect(mustPatch(s, { program: {} }).program).toEqual(s.program);
  });

  it('merges any valid rate into the program and keeps the rest (property)', () => {
    const base = deepFreeze(
      shop({ program: { earning: { rate: { points: 7, per: 3 }, basis: 'total' }, expiry: { inactivityMonths: 1 } } }),
    );
    fc.assert(
      fc.property(
        fc.record(
          { points: fc.integer({ min: 0, max: 1_000_000 }), per: fc.integer({ min: 1, max: 1_000_000 }) },
          { requiredKeys: [] },
        ),
        fc.integer({ min: 0, max: 365 }),
        (rate, returnWindowDays) => {
          const after = mustPatch(base, { program: { earning: { rate }, returnWindowDays } });
          expect(after.program.earning.rate).toEqual({ ...base.program.earning.rate, ...rate });
          expect(after.program.returnWindowDays).toBe(returnWindowDays);
          expect(after.program.rewards).toEqual(base.program.rewards);
          expect(after.program.expiry).toEqual(base.program.expiry);
          expect(after.program.earning.basis).toBe('total');
        },
      ),
    );
  });

  it('returns invalid_program with program-prefixed paths and no partial result', () => {
    const before = deepFreeze(shop());
    const r = patchShop(
      before,
      patchShopSchema.parse({ name: 'x', program: { earning: { rate: { per: 0 }, basis: 'gross' } } }),
      later,
      day,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('invalid_program');
    const paths = r.error.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['program.earning.rate.per', 'program.earning.basis']));
    for (const i of r.error.issues) expect(i.message).toEqual(expect.any(String));
    expect(before.name).toBe('Acme');
  });

  it('rotating the webhook secret keeps the old one valid for the grace period', () => {
    const before = deepFreeze(shop());
    const after = mustPatch(before, { webhookSecret: 'whsec_rotated_0123456789' }, later, day);
    expect(after.webhookSecret).toBe('whsec_rotated_0123456789');
    expect(after.previousWebhookSecret).toBe('whsec_original_0123456789');
    expect(after.previousWebhookSecretValidUntil).toBe(new Date(later.getTime() + day).toISOString());
    expect(after.webhookSecretSetAt).toBe(later.toISOString());

    expect(activeWebhookSecrets(after, later)).toEqual(['whsec_rotated_0123456789', 'whsec_original_0123456789']);
    expect(activeWebhookSecrets(after, new Date(later.getTime() + day - 1))).toHaveLength(2);
    expect(activeWebhookSecrets(after, new Date(later.getTime() + day))).toEqual(['whsec_rotated_0123456789']);
  });

  it('the same secret again is not a rotation; a zero grace retires the old secret at once', () => {
    const s = shop();
    const same = mustPatch(s, { webhookSecret: s.webhookSecret });
    expect(same.previousWebhookSecret).toBeUndefined();
    expect(same.webhookSecretSetAt).toBe(s.webhookSecretSetAt);

    const zero = mustPatch(s, { webhookSecret: 'whsec_rotated_0123456789' }, later, 0);
    expect(activeWebhookSecrets(zero, later)).toEqual(['whsec_rotated_0123456789']);
  });

  it('a second rotation forgets the first secret', () => {
    const once = mustPatch(shop(), { webhookSecret: 'whsec_second_0123456789' }, later);
    const twice = mustPatch(once, { webhookSecret: 'whsec_third_01234567890' }, new Date(later.getTime() + 1000));
    expect(activeWebhookSecrets(twice, new Date(later.getTime() + 2000))).toEqual([
      'whsec_third_01234567890',
      'whsec_second_0123456789',
    ]);
    expect(JSON.stringify(twice)).not.toContain('whsec_original');
  });

  it('patchShopSchema refuses id, platform and unknown fields, and an empty patch', () => {
    for (const body of [{ id: 'x' }, { platform: 'custom' }, { version: 9 }, { apiKeyHash: 'x' }, {}]) {
      expect(patchShopSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe('activeWebhookSecrets', () => {
  it('is only the current secret when none was rotated', () => {
    expect(activeWebhookSecrets(shop(), later)).toEqual(['whsec_original_0123456789']);
  });

  it('ignores a previous secret without an expiry', () => {
    const s: Shop = { ...shop(), previousWebhookSecret: 'whsec_old_0123456789' };
    expect(activeWebhookSecrets(s, later)).toEqual(['whsec_original_0123456789']);
  });
});

describe('publicShop', () => {
  it('strips every secret and the internal version', () => {
    const rotated = mustPatch(shop(), { webhookSecret: 'whsec_rotated_0123456789' });
    const pub = publicShop(rotated);
    for (const k of ['apiKeyHash', 'webhookSecret', 'previousWebhookSecret', 'version'])
      expect(pub).not.toHaveProperty(k);
    const text = JSON.stringify(pub);
    expect(text).not.toContain('whsec_');
    expect(text).not.toContain(rotated.apiKeyHash);
    // What a person needs to recognise the key and plan a rotation stays.
    expect(pub).toMatchObject({
      apiKeyHint: 'bk_acme_…abcd',
      previousWebhookSecretValidUntil: rotated.previousWebhookSecretValidUntil,
      id: 'acme',
    });
  });

  it('does not mutate the stored shop', () => {
    const s = deepFreeze(shop());
    publicShop(s);
    expect(s.webhookSecret).toBe('whsec_original_0123456789');
  });
});

describe('API keys', () => {
  it('issues a key with 256 bits of randomness, a matching hash and a hint that cannot be used', () => {
    const a = issueShopApiKey('acme');
    const b = issueShopApiKey('acme');
    expect(a.apiKey).toMatch(/^bk_acme_[A-Za-z0-9_-]{43}$/);
    expect(a.apiKey).not.toBe(b.apiKey);
    expect(a.apiKeyHash).toBe(hashSecret(a.apiKey));
    expect(a.apiKeyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.apiKeyHint).toBe(`bk_acme_…${a.apiKey.slice(-4)}`);
    expect(a.apiKey.includes(a.apiKeyHint)).toBe(false);
  });

  it('safeEqual compares exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});
