import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  signBase64Hmac,
  signCustom,
  verifyCustomSignature,
  verifyShopifyHmac,
  verifyWooSignature,
} from '../../shared/domain/webhooks/signatures';
import { fixtureBytes, hmacVector, wooFixtures } from '../fixtures/webhooks';

describe('verifyShopifyHmac', () => {
  const body = fixtureBytes(hmacVector.body);

  it('accepts the shopify-app-js test vector', () => {
    expect(body.toString('utf8')).toBe('{"foo": "bar"}');
    expect(signBase64Hmac(body, hmacVector.secret)).toBe(hmacVector.expected);
    expect(verifyShopifyHmac(body, hmacVector.expected, [hmacVector.secret])).toBe(true);
  });

  it('accepts any of the secrets (rotation grace)', () => {
    expect(verifyShopifyHmac(body, hmacVector.expected, ['new_secret_value', hmacVector.secret])).toBe(true);
    expect(verifyShopifyHmac(body, hmacVector.expected, [hmacVector.secret, 'new_secret_value'])).toBe(true);
  });

  it('rejects a wrong secret, a changed body, a missing or mangled header', () => {
    expect(verifyShopifyHmac(body, hmacVector.expected, ['wrong_secret'])).toBe(false);
    expect(verifyShopifyHmac(Buffer.from('{"foo":"bar"}'), hmacVector.expected, [hmacVector.secret])).toBe(false);
    expect(verifyShopifyHmac(body, undefined, [hmacVector.secret])).toBe(false);
    expect(verifyShopifyHmac(body, '', [hmacVector.secret])).toBe(false);
    expect(verifyShopifyHmac(body, hmacVector.expected.slice(0, -1), [hmacVector.secret])).toBe(false);
    expect(verifyShopifyHmac(body, hmacVector.expected.toLowerCase(), [hmacVector.secret])).toBe(false);
    expect(
      verifyShopifyHmac(body, Buffer.from(hmacVector.expected, 'base64').toString('hex'), [hmacVector.secret]),
    ).toBe(false);
    expect(verifyShopifyHmac(body, hmacVector.expected, [])).toBe(false);
    expect(verifyShopifyHmac(body, hmacVector.expected, [''])).toBe(false);
  });

  it('tolerates surrounding whitespace in the header', () => {
    expect(verifyShopifyHmac(body, ` ${hmacVector.expected} `, [hmacVector.secret])).toBe(true);
  });

  it('never throws on arbitrary headers (property)', () => {
    fc.assert(
      fc.property(fc.option(fc.string(), { nil: undefined }), (header) => {
        expect(verifyShopifyHmac(body, header, [hmacVector.secret])).toBe(header?.trim() === hmacVector.expected);
      }),
    );
  });
});

describe('verifyWooSignature', () => {
  it('checks base64 HMAC-SHA256 over the compact body exactly as sent', () => {
    const wire = fixtureBytes(wooFixtures.processingWire);
    const secret = 'woo-webhook-secret';
    const signature = signBase64Hmac(wire, secret);
    expect(verifyWooSignature(wire, signature, [secret])).toBe(true);
    // The same JSON re-encoded (e.g. without the \/ escapes) is different bytes: no match.
    const reencoded = Buffer.from(JSON.stringify(JSON.parse(wire.toString('utf8'))));
    expect(reencoded.equals(wire)).toBe(false);
    expect(verifyWooSignature(reencoded, signature, [secret])).toBe(false);
    expect(verifyWooSignature(wire, signature, ['old-secret', secret])).toBe(true);
    expect(verifyWooSignature(wire, undefined, [secret])).toBe(false);
  });
});

describe('custom Boomerang-Signature', () => {
  const raw = Buffer.from('{"id":"evt_1","type":"ping","createdAt":"2026-03-01T12:00:00Z"}');
  const secret = 'whsec_custom_secret_1';
  const t = 1_772_366_400; // 2026-03-01T12:00:00Z
  const now = new Date(t * 1000);

  it('round-trips signCustom → verifyCustomSignature', () => {
    const header = signCustom(raw, secret, t);
    expect(header).toMatch(/^t=1772366400,v1=[0-9a-f]{64}$/);
    expect(verifyCustomSignature(raw, header, [secret], now)).toEqual({ ok: true, value: { timestamp: t } });
    expect(signCustom(raw, secret, now)).toBe(header);
  });

  it('signs "<t>.<raw body>" with HMAC-SHA256, hex', async () => {
    const { createHmac } = await import('node:crypto');
    const expected = createHmac('sha256', secret).update(`${t}.`).update(raw).digest('hex');
    expect(signCustom(raw, secret, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('accepts several v1 entries and any of the secrets', () => {
    const good = signCustom(raw, secret, t).split(',')[1];
    const other = signCustom(raw, 'another_secret_2', t).split(',')[1];
    expect(verifyCustomSignature(raw, `t=${t},${other},${good}`, [secret], now).ok).toBe(true);
    expect(verifyCustomSignature(raw, `t=${t}, ${good}, v0=ignored`, [secret], now).ok).toBe(true);
    expect(verifyCustomSignature(raw, signCustom(raw, secret, t), ['rotated_new_secret', secret], now).ok).toBe(true);
    expect(
      verifyCustomSignature(
        raw,
        signCustom(raw, secret, t).toUpperCase().replace('T=', 't=').replace('V1=', 'v1='),
        [secret],
        now,
      ).ok,
    ).toBe(true);
  });

  const reason = (header: string | undefined, at = now, secrets = [secret]) => {
    const r = verifyCustomSignature(raw, header, secrets, at);
    return r.ok ? 'ok' : r.error.reason;
  };

  it('reports missing, malformed, mismatch and stale timestamps', () => {
    const header = signCustom(raw, secret, t);
    const v1 = header.split(',')[1];
    expect(reason(undefined)).toBe('missing');
    expect(reason('  ')).toBe('missing');
    expect(reason('garbage')).toBe('malformed');
    expect(reason(`${v1}`)).toBe('malformed');
    expect(reason(`t=${t}`)).toBe('malformed');
    expect(reason(`t=abc,${v1}`)).toBe('malformed');
    expect(reason(`t=${t},t=${t},${v1}`)).toBe('malformed');
    expect(reason(`t=${t},v1=abc`)).toBe('malformed');
    expect(reason(header, now, ['wrong_secret_value'])).toBe('mismatch');
    expect(reason(`t=${t + 1},${v1}`)).toBe('mismatch');
    expect(verifyCustomSignature(Buffer.from(`${raw.toString()} `), header, [secret], now).ok).toBe(false);
    expect(reason(header, new Date((t + 300) * 1000))).toBe('ok');
    expect(reason(header, new Date((t - 300) * 1000))).toBe('ok');
    expect(reason(header, new Date((t + 301) * 1000))).toBe('timestamp_out_of_tolerance');
    expect(reason(header, new Date((t - 301) * 1000))).toBe('timestamp_out_of_tolerance');
    expect(verifyCustomSignature(raw, header, [secret], new Date((t + 1000) * 1000), 3600).ok).toBe(true);
  });

  it('a forged header is a mismatch even when its timestamp is stale', () => {
    expect(reason(`t=1,v1=${'0'.repeat(64)}`)).toBe('mismatch');
  });

  it('never throws on arbitrary headers (property)', () => {
    fc.assert(
      fc.property(fc.string(), (header) => {
        const r = verifyCustomSignature(raw, header, [secret], now);
        expect(r.ok).toBe(false);
      }),
    );
  });
});
