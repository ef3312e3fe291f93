import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { decodeTime } from 'ulidx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys';
import { setRuntime } from '../../shared/wiring/runtime';
import { randomId, startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { testDb } from '../support/db';

// Read by the redirect function at cold start, i.e. before its first request: 20 per minute
// with a burst of 40 leaves room for the tests before the rate-limit test, which runs last.
process.env.BOOMERANG_CLICK_RATE_PER_MINUTE = '20';

const browser =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
const ulid = /^[0-9A-HJKMNP-TV-Z]{26}$/;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const db = testDb;
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Writes a code as the code-creation endpoint does (referral-store publishCode): the global
 * code index and the shop's code item. Codes are globally unique, so each is random.
 */
const seedCode = async (shopId: string, options: { disabled?: boolean; cid?: string } = {}): Promise<string> => {
  const code = randomId('T', 4).toUpperCase();
  const cid = options.cid ?? 'i.42';
  const disabled = options.disabled ? { disabled: true } : {};
  await db().send(
    new PutCommand({
      TableName: stack.tableName,
      Item: { ...keys.globalReferralCode(code), itemType: 'code_owner', shopId, cid, code, ...disabled },
    }),
  );
  await db().send(
    new PutCommand({
      TableName: stack.tableName,
      Item: {
        ...keys.referralCode(shopId, code),
        itemType: 'code',
        shopId,
        cid,
        code,
        vanity: false,
        createdAt: new Date().toISOString(),
        clicks: 0,
        ...disabled,
      },
    }),
  );
  return code;
};

const click = (code: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.baseUrl}/r/${code}`, { redirect: 'manual', headers: { 'user-agent': browser, ...headers } });

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const visitorIdOf = (res: Response) => cookieOf(res, 'bmr_vid')!.split(';')[0]!.slice('bmr_vid='.length);

const dayStats = async (shopId: string) =>
  (
    await db().send(
      new GetCommand({ TableName: stack.tableName, Key: keys.referralStatsDay(shopId, today()), ConsistentRead: true }),
    )
  ).Item;
const codeItem = async (shopId: string, code: string) =>
  (
    await db().send(
      new GetCommand({ TableName: stack.tableName, Key: keys.referralCode(shopId, code), ConsistentRead: true }),
    )
  ).Item;

describe('GET /r/{code}', () => {
  let shop: CreatedShop;
  beforeAll(async () => {
    shop = await stack.createShop({
      storefrontUrl: 'https://shop.example.com/welcome?lang=da&note=a%20b&utm_campaign=old',
      program: { referrals: { utm: { campaign: 'spring' }, attributionWindowDays: 14 } },
    });
  });

  it('redirects to the storefront with ref, a click ULID and the utm parameters, keeping its query', async () => {
    const code = await seedCode(shop.shop.id);
    const before = Date.now();
    const res = await click(code);
    expect(res.status).toBe(302);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');

    const location = res.headers.get('location')!;
    // Existing parameters byte-for-byte and in order; our utm_campaign replaces theirs.
    expect(location.startsWith('https://shop.example.com/welcome?lang=da&note=a%20b&ref=')).toBe(true);
    const url = new URL(location);
    expect(url.searchParams.get('ref')).toBe(code);
    const clickId = url.searchParams.get('bmr_click')!;
    expect(clickId).toMatch(ulid);
    expect(decodeTime(clickId)).toBeGreaterThanOrEqual(before - 1);
    expect(decodeTime(clickId)).toBeLessThanOrEqual(Date.now());
    expect(url.searchParams.get('utm_source')).toBe('boomerang');
    expect(url.searchParams.get('utm_medium')).toBe('referral');
    expect(url.searchParams.getAll('utm_campaign')).toEqual(['spring']);
    expect(url.searchParams.get('lang')).toBe('da');
    expect(url.searchParams.get('note')).toBe('a b');
    for (const name of ['ref', 'bmr_click', 'utm_source', 'utm_medium'])
      expect(url.searchParams.getAll(name)).toHaveLength(1);

    expect(res.headers.getSetCookie()).toHaveLength(2);
    expect(cookieOf(res, 'bmr_ref')).toBe(
      `bmr_ref=${code}; Max-Age=${14 * 86_400}; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(cookieOf(res, 'bmr_vid')).toMatch(
      /^bmr_vid=[A-Za-z0-9_-]{22}; Max-Age=31536000; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('counts a visitor once per 24 h per code; another visitor counts too', async () => {
    const shop2 = await stack.createShop();
    const code = await seedCode(shop2.shop.id);
    const first = await click(code);
    expect(first.status).toBe(302);
    const vid = visitorIdOf(first);
    expect(await dayStats(shop2.shop.id)).toMatchObject({ clicks: 1, uniqueVisitors: 1 });

    const again = await click(code, { cookie: `bmr_vid=${vid}` });
    expect(again.status).toBe(302);
    // The same visitor keeps the same id (refreshed for another year).
    expect(visitorIdOf(again)).toBe(vid);
    expect(new URL(again.headers.get('location')!).searchParams.get('bmr_click')).not.toBe(
      new URL(first.headers.get('location')!).searchParams.get('bmr_click'),
    );
    const afterRepeat = await dayStats(shop2.shop.id);
    expect(afterRepeat).toMatchObject({ clicks: 1, uniqueVisitors: 1, repeatClicks: 1 });

    const other = await click(code);
    expect(visitorIdOf(other)).not.toBe(vid);
    expect(await dayStats(shop2.shop.id)).toMatchObject({ clicks: 2, uniqueVisitors: 2, repeatClicks: 1 });
    expect(await codeItem(shop2.shop.id, code)).toMatchObject({ clicks: 2, cid: 'i.42' });

    // The repeat above was known to this container; in a fresh one (new runtime, empty
    // memory) the de-dupe item in DynamoDB is what recognises the visitor, then the memory.
    setRuntime(undefined);
    for (let i = 0; i < 2; i++) expect((await click(code, { cookie: `bmr_vid=${vid}` })).status).toBe(302);
    expect(await dayStats(shop2.shop.id)).toMatchObject({ clicks: 2, uniqueVisitors: 2, repeatClicks: 3 });
    expect((await codeItem(shop2.shop.id, code))?.clicks).toBe(2);
  });

  it('sends a bot on without a click id, counting it or setting cookies', async () => {
    const shop3 = await stack.createShop();
    const code = await seedCode(shop3.shop.id);
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'facebookexternalhit/1.1',
      'WhatsApp/2.23.20.0',
      '',
    ]) {
      const res = await click(code, { 'user-agent': ua });
      expect(res.status, ua).toBe(302);
      const url = new URL(res.headers.get('location')!);
      expect(url.searchParams.get('ref')).toBe(code);
      expect(url.searchParams.get('utm_source')).toBe('boomerang');
      // No click was recorded, so there is no click id to attribute an order to.
      expect(url.searchParams.has('bmr_click')).toBe(false);
      expect(res.headers.getSetCookie(), ua).toEqual([]);
    }
    expect(await dayStats(shop3.shop.id)).toBeUndefined();
    expect((await codeItem(shop3.shop.id, code))?.clicks).toBe(0);
  });

  it('accepts the code in lower case and answers with it upper case', async () => {
    const code = await seedCode(shop.shop.id);
    const res = await click(code.toLowerCase());
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get('location')!).searchParams.get('ref')).toBe(code);
    expect(cookieOf(res, 'bmr_ref')!.startsWith(`bmr_ref=${code};`)).toBe(true);
  });

  it('answers an unknown or malformed code with a small 404 page, in Danish when asked', async () => {
    const res = await click('NO-SUCH-CODE-1');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.getSetCookie()).toEqual([]);
    const text = await res.text();
    expect(text).toContain('<html lang="en">');
    expect(text).toContain("This referral link isn't active");
    expect(text).not.toMatch(/<(script|link|img)\b|src=|https?:\/\//);

    const da = await click('NO-SUCH-CODE-1', { 'accept-language': 'da-DK,da;q=0.9,en;q=0.8' });
    expect(da.status).toBe(404);
    const daText = await da.text();
    expect(daText).toContain('<html lang="da">');
    expect(daText).toContain('Dette henvisningslink er ikke aktivt');

    for (const bad of ['abc%21', 'A_B', '%E0%A4%A', 'AB', 'X'.repeat(25)]) {
      const r = await click(bad);
      expect(r.status, bad).toBe(404);
      expect(await r.text()).toContain("This referral link isn't active");
    }
  });

  it('answers 404 for a disabled code and for a shop whose referral program is off', async () => {
    const disabled = await seedCode(shop.shop.id, { disabled: true });
    const res = await click(disabled);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');

    const off = await stack.createShop({ program: { referrals: { enabled: false } } });
    const code = await seedCode(off.shop.id);
    expect((await click(code)).status).toBe(404);
    expect(await dayStats(off.shop.id)).toBeUndefined();
  });

  // Last: it spends this client's remaining tokens (all requests come from 127.0.0.1).
  it('rate-limits one client IP after the burst with 429 and Retry-After', async () => {
    const code = await seedCode(shop.shop.id);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await click(code, { 'user-agent': 'facebookexternalhit/1.1' });
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.arrayBuffer();
    }
    expect(limited, `statuses: ${statuses.join(',')}`).toBeDefined();
    // Burst 40, less what the tests above used, plus a little refill.
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.length).toBeLessThanOrEqual(41);
    expect(statuses.slice(0, -1).every((s) => s === 302)).toBe(true);
    const retryAfter = Number(limited!.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    // 20 per minute: a token every 3 s.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    expect(limited!.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await limited!.text()).toContain('Too many requests');
  });
});
