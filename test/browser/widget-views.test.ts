import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { meView, programView, redemptionResponse, sessionResponse } from './fixtures';
import { launchChromium, part, screenshot, startStorefront, storefrontHtml, type StorefrontPage } from './support';

/**
 * Every view of the widget against a stubbed storefront API (answers parsed by the contract's
 * schemas, fixtures.ts): the widget's own behaviour, independent of the API's state. widget.js
 * itself comes from the real gateway; signed-in.test.ts runs the same flow against the real API.
 */
declare const window: { Boomerang: { identify(token: string): Promise<boolean> } };
declare const navigator: { clipboard: { readText(): Promise<string> } };
type ShadowRoot = { activeElement: { getAttribute(name: string): string | null } | null };

let stack: TestStack;
let storefront: StorefrontPage;
let browser: Browser;
const shopId = 'demo-shop';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  storefront = await startStorefront((url) =>
    storefrontHtml({ apiBase: stack.baseUrl, shopId, lang: url.searchParams.get('lang') ?? 'en' }),
  );
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.close();
});

interface Stub {
  redemption?: { status: number; body: unknown };
  meStatus?: number;
}

/** What the widget sent to the stubbed API. */
interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const stubApi = async (context: BrowserContext, stub: Stub = {}): Promise<Sent[]> => {
  const sent: Sent[] = [];
  let balance = 740;
  const cors = {
    'access-control-allow-origin': storefront.origin,
    'access-control-allow-headers': 'authorization, content-type, idempotency-key',
    'access-control-allow-methods': 'GET, POST',
    'content-type': 'application/json',
  };
  await context.route(`${stack.baseUrl}/storefront/**`, async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (req.method() === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });
    sent.push({ method: req.method(), path: url.pathname, headers: req.headers(), body: req.postData() });
    const reply = (status: number, body: unknown) =>
      route.fulfill({ status, headers: cors, body: JSON.stringify(body) });
    const path = url.pathname.replace(`/storefront/${shopId}`, '');
    if (path === '/program') return reply(200, programView());
    if (path === '/session') return reply(200, sessionResponse());
    if (path === '/me') {
      if (stub.meStatus) return reply(stub.meStatus, { error: { code: 'invalid_session', message: 'no' } });
      return reply(200, meView(balance));
    }
    if (path === '/me/redemptions') {
      if (stub.redemption) return reply(stub.redemption.status, stub.redemption.body);
      balance -= 500;
      return reply(201, redemptionResponse(balance));
    }
    return reply(404, { error: { code: 'route_not_found', message: path } });
  });
  return sent;
};

const signIn = async (context: BrowserContext, query = ''): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`${storefront.origin}/${query}`);
  await page.locator('boomerang-loyalty[data-state]').waitFor({ state: 'attached' });
  expect(await page.evaluate(() => window.Boomerang.identify('customer-token'))).toBe(true);
  await part(page, 'launcher').click();
  await part(page, 'balance').waitFor();
  return page;
};

const focusedKey = (page: Page) =>
  part(page, 'panel').evaluate((p) =>
    (p.getRootNode() as unknown as ShadowRoot).activeElement?.getAttribute('data-key'),
  );

describe('the widget against a stubbed API', () => {
  it('signed in: balance, tier progress, rewards, referral and history', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const sent = await stubApi(context);
    const page = await signIn(context);
    expect(await part(page, 'balance').textContent()).toBe('740');
    expect(await page.locator('boomerang-loyalty [role="progressbar"]').getAttribute('aria-valuenow')).toBe('64');
    expect(await page.locator('boomerang-loyalty [data-key="redeem:credit"]').isDisabled()).toBe(true);
    expect(await part(page, 'referral-link').inputValue()).toBe('https://api.example.com/r/ADA-7K2');
    expect(await page.locator('boomerang-loyalty li', { hasText: 'Order #1043' }).count()).toBe(1);
    const session = sent.find((s) => s.path.endsWith('/session'))!;
    expect(JSON.parse(session.body!)).toEqual({ customerToken: 'customer-token' });
    expect(sent.find((s) => s.path.endsWith('/me'))!.headers.authorization).toBe('Bearer session-token');
    await page.waitForTimeout(300);
    await screenshot(page, 'stubbed-signed-in-desktop');
    await context.close();
  });

  it('redeems with a confirm step and one idempotency key, shows the code and copies it', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: storefront.origin });
    const sent = await stubApi(context);
    const page = await signIn(context);
    await screenshot(page, 'stubbed-signed-in-360');

    await page.locator('boomerang-loyalty [data-key="redeem:ten-off"]').focus();
    await page.keyboard.press('Enter');
    expect(await focusedKey(page)).toBe('confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Cancel: back to the Redeem button
    expect(await focusedKey(page)).toBe('redeem:ten-off');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter'); // Confirm
    await part(page, 'code').waitFor();
    expect(await part(page, 'code').textContent()).toBe('BMR-7Q4X-9KDA');
    await expect.poll(() => part(page, 'balance').textContent()).toBe('240');
    await expect.poll(() => focusedKey(page)).toBe('copy-code');
    const redemptions = sent.filter((s) => s.path.endsWith('/me/redemptions'));
    expect(redemptions).toHaveLength(1);
    expect(JSON.parse(redemptions[0]!.body!)).toEqual({ rewardId: 'ten-off' });
    expect(redemptions[0]!.headers['idempotency-key']).toMatch(/^[\w.:-]{16,128}$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('BMR-7Q4X-9KDA');
    await screenshot(page, 'stubbed-redeemed-360');
    await context.close();
  });

  it('says so when points are short (409) and keeps the balance', async () => {
    const context = await browser.newContext();
    await stubApi(context, {
      redemption: { status: 409, body: { error: { code: 'insufficient_points', message: 'short' } } },
    });
    const page = await signIn(context);
    await page.locator('boomerang-loyalty [data-key="redeem:ten-off"]').click();
    await page.locator('boomerang-loyalty [data-key="confirm"]').click();
    await page.locator('boomerang-loyalty [role="alert"]').waitFor();
    expect(await page.locator('boomerang-loyalty [role="alert"]').textContent()).toContain('not have enough points');
    expect(await part(page, 'balance').textContent()).toBe('740');
    await context.close();
  });

  it('keeps the session for the tab, and drops to anonymous when the API refuses it', async () => {
    const context = await browser.newContext();
    await stubApi(context);
    const page = await signIn(context);
    await page.reload();
    await page.locator('boomerang-loyalty[data-state="signed-in"]').waitFor({ state: 'attached' });

    const refused = await browser.newContext();
    await stubApi(refused, { meStatus: 401 });
    const other = await refused.newPage();
    await other.goto(storefront.origin);
    await other.locator('boomerang-loyalty[data-state]').waitFor({ state: 'attached' });
    expect(await other.evaluate(() => window.Boomerang.identify('customer-token'))).toBe(false);
    expect(await other.locator('boomerang-loyalty').getAttribute('data-state')).toBe('anonymous');
    await context.close();
    await refused.close();
  });

  it('anonymous: the program in short with Join and Sign in, in the shop colour', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await stubApi(context);
    const page = await context.newPage();
    await page.goto(storefront.origin);
    await part(page, 'launcher').click();
    await page.locator('boomerang-loyalty a', { hasText: 'Join' }).waitFor();
    expect(await page.locator('boomerang-loyalty a', { hasText: 'Sign in' }).getAttribute('href')).toBe(
      'https://shop.example.com/account/login',
    );
    expect(await part(page, 'launcher').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(10, 125, 90)');
    await page.waitForTimeout(300);
    await screenshot(page, 'stubbed-anonymous-desktop');
    await context.close();
  });

  it('arriving through a referral link: the friend’s offer first, in Danish on a Danish page', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await stubApi(context);
    const page = await context.newPage();
    await page.goto(`${storefront.origin}/?lang=da&ref=ADA-7K2`);
    await part(page, 'launcher').click();
    const first = page.locator('boomerang-loyalty [data-part="panel"] section').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('10 % rabat');
    await page.waitForTimeout(300);
    await screenshot(page, 'stubbed-referral-da-360');
    await context.close();
  });
});

declare const getComputedStyle: (e: unknown) => { backgroundColor: string };
