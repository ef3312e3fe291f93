import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { downloadSecretFrom, signDownloadToken, verifyDownloadToken } from '../../../shared/adapters/download-token';
import { fileExportSink } from '../../../shared/adapters/export-sink';

const secret = downloadSecretFrom('operator-key-of-at-least-16');

describe('download tokens', () => {
  it('verify until they expire', () => {
    const token = signDownloadToken(secret, { key: 'exports/s/2026-03-31/customers.csv', exp: 1_000 });
    expect(verifyDownloadToken(secret, token, 999)).toEqual({
      ok: true,
      key: 'exports/s/2026-03-31/customers.csv',
      exp: 1_000,
    });
    expect(verifyDownloadToken(secret, token, 1_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it("refuse another key's signature, a changed payload and garbage", () => {
    const token = signDownloadToken(secret, { key: 'exports/s/2026-03-31/customers.csv', exp: 1_000 });
    expect(verifyDownloadToken(downloadSecretFrom('another-operator-key-123'), token, 0)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    const [, sig] = token.split('.');
    const other = Buffer.from(JSON.stringify({ key: 'exports/t/2026-03-31/customers.csv', exp: 1_000 })).toString(
      'base64url',
    );
    expect(verifyDownloadToken(secret, `${other}.${sig}`, 0)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyDownloadToken(secret, 'nonsense', 0)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyDownloadToken(secret, `${token}x`, 0).ok).toBe(false);
  });

  it('derive a secret that differs from the operator key itself', () => {
    expect(secret.toString('utf8')).not.toContain('operator-key');
    expect(secret).toHaveLength(32);
  });
});

describe('file export sink', () => {
  const root = mkdtempSync(join(tmpdir(), 'boomerang-sink-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const sink = fileExportSink({
    root,
    baseUrl: 'http://127.0.0.1:3000/',
    secret: async () => secret,
    clock: fixedClock('2026-04-01T00:00:00Z'),
  });

  it('puts, gets, lists nothing missing, and deletes a prefix', async () => {
    await sink.put('jobs/s/j/a.json', '{"a":1}', 'application/json');
    await sink.put('jobs/s/j/sub/b.csv', 'x,y\r\n', 'text/csv');
    await sink.put('exports/s/2026-03-31/customers.csv', 'h\r\n', 'text/csv');
    expect(await sink.get('jobs/s/j/a.json')).toBe('{"a":1}');
    expect(await sink.get('jobs/s/j/missing.json')).toBeUndefined();
    await sink.deletePrefix('jobs/s/j/');
    expect(await sink.get('jobs/s/j/sub/b.csv')).toBeUndefined();
    expect(await sink.get('exports/s/2026-03-31/customers.csv')).toBe('h\r\n');
  });

  it('refuses keys that would leave the root', async () => {
    await expect(sink.put('../x.csv', 'x', 'text/csv')).rejects.toThrow(RangeError);
    await expect(sink.get('exports/../../x')).rejects.toThrow(RangeError);
    await expect(sink.get('/etc/passwd')).rejects.toThrow(RangeError);
  });

  it('signs a 24 h link to the gateway', async () => {
    const link = await sink.downloadUrl('exports/s/2026-03-31/customers.csv', 86_400);
    expect(link.expiresAt).toBe('2026-04-02T00:00:00.000Z');
    const url = new URL(link.url);
    expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:3000/exports/download');
    expect(
      verifyDownloadToken(secret, url.searchParams.get('token')!, Date.parse('2026-04-01T12:00:00Z') / 1000),
    ).toMatchObject({ ok: true, key: 'exports/s/2026-03-31/customers.csv' });
  });
});
