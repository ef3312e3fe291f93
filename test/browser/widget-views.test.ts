import { SignJWT } from 'jose';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meViewSchema, sessionResponseSchema, type MeView } from '../../shared/schemas/storefront';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { launchChromium, part, screenshot, startStorefront, storefrontHtml, type StorefrontPage } from './support';

/**
 * Every view of the widget against the real local stack (gateway, storefront API, DynamoDB
 * Local): signed in, the confirm step of a redemption, a 409 when the points are gone, the
 * session kept for the tab and dropped on a 401, the shop's colour and links, a referral
 * visitor in Danish. Each customer has a real order (signed custom webhook) and points from
 * an admin adjustment, and signs in with a customer token minted with the storefront secret.
 */
// Functions passed to page.evaluate run in the browser; the root tsconfig has no DOM lib.
declare const window: { Boomerang: { identify(token: string): Promise<boolean> } };
declare const navigator: { clipboard: { readText(): Promise<string> } };
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
declare const document: { getAnimations(): { finished: Promise<unknown> }[] };
declare const requestAnimationFrame: (f: () => void) => void;
declare const getComputedStyle: (e: unknown) => { backgroundColor: string };
type ShadowRoot = { activeElement: { getAttribute(name: string): string | null } | null };

const rewards = [
  { id: 'ten-off', name: '50 DKK off', type: 'discount_code', pointsCost: 500, valueMinor: 5000 },
  { id: 'credit', name: '200 DKK store credit', type: 'store_credit', pointsCost: 2000, valueMinor: 20000 },
];
const tiers = {
  qualifyOn: 'spend',
  levels: [
    { id: 'bronze', name: 'Bronze', threshold: 0 },
    { id: 'silver', name: 'Silver', threshold: 500, multiplierPercent: 125, perks: 'Free shipping' },
  ],
};
const accentColor = '#0a7d5a';
const signInUrl = 'https://shop.example.com/account/login';

let stack: TestStack;
let storefront: StorefrontPage;
let browser: Browser;
let shop: CreatedShop;
let orders = 1042;

const shopId = () => shop.shop.id;
const sessionKey = () => `boomerang:session:${shopId()}`;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  storefront = await startStorefront((url) =>
    storefrontHtml({ apiBase: stack.baseUrl, shopId: shopId(), lang: url.searchParams.get('lang') ?? 'en' }),
  );
  // Created with its colour and links (the storefront caches shops, so no PATCH afterwards).
  shop = await stack.createShop({
    name: 'Keramik & Co',
    storefrontUrl: storefront.origin,
    program: {
      rewards,
      tiers,
      referrals: { friendDiscountPercent: 10, referrerRewardPoints: 500 },
      // A paid plan that changes no earning, so the other tests' figures stay as they are.
      membership: {
        enabled: true,
        plans: [{ id: 'vip', name: 'VIP Club', skus: ['VIP-MONTH'], perks: 'Free shipping' }],
      },
    },
    storefront: { accentColor, signInUrl, joinUrl: 'https://shop.example.com/account/register' },
  });
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.close();
});

/**
 * A customer who paid a 320 DKK order (points pending for the return window, spend towards
 * Silver at 500 DKK) and was given 740 spendable points; returns a customer token for them.
 */
const customer = async (id: string, extraLines: object[] = []): Promise<{ token: string; orderId: string }> => {
  const orderId = String(++orders);
  const at = new Date().toISOString();
  const body = JSON.stringify({
    id: `evt-${id}`,
    type: 'order.paid',
    createdAt: at,
    data: {
      id: orderId,
      currency: 'DKK',
      createdAt: at,
      updatedAt: at,
      financialStatus: 'paid',
      paidAt: at,
      customer: { id, email: `${id}@example.com`, firstName: 'Ada' },
      lines: [{ id: '1', sku: 'MUG', quantity: 2, price: '160.00' }, ...extraLines],
      shipping: '0',
      tax: '0',
      total: '320.00',
    },
  });
  const hook = await stack.api('POST', `/webhooks/custom/${shopId()}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret),
  });
  expect(hook.status, hook.text).toBe(200);
  const adjusted = await stack.api('POST', `/admin/shops/${shopId()}/customers/${id}/adjustments`, {
    key: shop.apiKey,
    body: { points: 740, reason: 'Welcome gift (browser test)' },
  });
  expect(adjusted.status, adjusted.text).toBe(201);
  const token = await new SignJWT({ email: `${id}@example.com` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(id)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(shop.storefrontSecret));
  return { token, orderId };
};

/** A session of the customer's own, outside the browser (another tab, or the test's view of the API). */
const apiSession = async (token: string): Promise<string> => {
  const res = await stack.api('POST', `/storefront/${shopId()}/session`, {
    body: { customerToken: token },
    headers: { origin: storefront.origin },
  });
  expect(res.status, res.text).toBe(200);
  return sessionResponseSchema.parse(res.json).sessionToken;
};

const apiMe = async (sessionToken: string): Promise<MeView> => {
  const res = await stack.api('GET', `/storefront/${shopId()}/me`, {
    key: sessionToken,
    headers: { origin: storefront.origin },
  });
  expect(res.status, res.text).toBe(200);
  return meViewSchema.parse(res.json);
};

/** What the widget sent to the API (observed, not intercepted). */
interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const observe = (context: BrowserContext): Sent[] => {
  const sent: Sent[] = [];
  context.on('request', (req) => {
    const url = new URL(req.url());
    if (!req.url().startsWith(`${stack.baseUrl}/storefront/`) || req.method() === 'OPTIONS') return;
    sent.push({ method: req.method(), path: url.pathname, headers: req.headers(), body: req.postData() });
  });
  return sent;
};

const signIn = async (context: BrowserContext, token: string, query = ''): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`${storefront.origin}/${query}`);
  await page.locator('boomerang-loyalty[data-state]').waitFor({ state: 'attached' });
  expect(await page.evaluate((t) => window.Boomerang.identify(t), token)).toBe(true);
  await part(page, 'launcher').click();
  await part(page, 'balance').waitFor();
  return page;
};

const focusedKey = (page: Page) =>
  part(page, 'panel').evaluate((p) =>
    (p.getRootNode() as unknown as ShadowRoot).activeElement?.getAttribute('data-key'),
  );

/** Waits for the frame after the last render and for running transitions (the tier bar's). */
const settled = (page: Page) =>
  page.evaluate(async () => {
    await new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    await Promise.all(document.getAnimations().map((a) => a.finished));
  });

describe('the widget against the real API', () => {
  it('signed in: balance, tier progress, rewards, referral and history', async () => {
    const { token, orderId } = await customer('cust-view');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const sent = observe(context);
    const page = await signIn(context, token);
    expect(await part(page, 'balance').textContent()).toBe('740');
    // 320 of the 500 DKK to Silver.
    expect(await page.locator('boomerang-loyalty [role="progressbar"]').getAttribute('aria-valuenow')).toBe('64');
    expect(await page.locator('boomerang-loyalty [data-key="redeem:credit"]').isDisabled()).toBe(true);
    const me = await apiMe(await apiSession(token));
    expect(me.referral?.url).toMatch(/^https?:\/\/.+\/r\/[\w-]+$/);
    expect(await part(page, 'referral-link').inputValue()).toBe(me.referral!.url);
    expect(await page.locator('boomerang-loyalty li', { hasText: `order ${orderId}` }).count()).toBe(1);
    const session = sent.find((s) => s.path.endsWith('/session'))!;
    expect(JSON.parse(session.body!)).toEqual({ customerToken: token });
    const stored = JSON.parse((await page.evaluate((key) => sessionStorage.getItem(key), sessionKey()))!) as {
      sessionToken: string;
    };
    expect(sent.find((s) => s.path.endsWith('/me'))!.headers.authorization).toBe(`Bearer ${stored.sessionToken}`);
    await settled(page);
    await screenshot(page, 'views-signed-in-desktop');
    await context.close();
  });

  it('shows a paid membership bought with the order, until when and its perks, in English and Danish', async () => {
    const { token } = await customer('cust-vip', [{ id: '2', sku: 'VIP-MONTH', quantity: 1, price: '9.00' }]);
    const me = await apiMe(await apiSession(token));
    expect(me.membership).toMatchObject({ name: 'VIP Club', status: 'active', perks: 'Free shipping' });
    const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const page = await signIn(context, token);
    const line = part(page, 'membership');
    expect(await line.textContent()).toMatch(/^VIP Club member until \d{1,2} \w+ \d{4}$/);
    expect(await page.locator('boomerang-loyalty p', { hasText: 'Free shipping' }).count()).toBeGreaterThanOrEqual(1);
    await settled(page);
    await screenshot(page, 'views-membership-phone');
    await context.close();
    const da = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const dansk = await signIn(da, token, '?lang=da');
    expect(await part(dansk, 'membership').textContent()).toMatch(/^VIP Club-medlem til og med \d{1,2}\. \S+ \d{4}$/);
    await da.close();
  });

  it('redeems with a confirm step and one idempotency key, shows the code and copies it', async () => {
    const { token } = await customer('cust-redeem');
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: storefront.origin });
    const sent = observe(context);
    const page = await signIn(context, token);
    await settled(page);
    await screenshot(page, 'views-signed-in-360');

    await page.locator('boomerang-loyalty [data-key="redeem:ten-off"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedKey(page)).toBe('confirm');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // Cancel: back to the Redeem button
    await expect.poll(() => focusedKey(page)).toBe('redeem:ten-off');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedKey(page)).toBe('confirm');
    await page.keyboard.press('Enter'); // Confirm
    await part(page, 'code').waitFor();
    const code = (await part(page, 'code').textContent())!;
    expect(code.length).toBeGreaterThan(3);
    await expect.poll(() => part(page, 'balance').textContent()).toBe('240');
    await expect.poll(() => focusedKey(page)).toBe('copy-code');
    const redemptions = sent.filter((s) => s.path.endsWith('/me/redemptions'));
    expect(redemptions).toHaveLength(1);
    expect(JSON.parse(redemptions[0]!.body!)).toEqual({ rewardId: 'ten-off' });
    expect(redemptions[0]!.headers['idempotency-key']).toMatch(/^[\w.:-]{16,128}$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    // The ledger agrees: one redemption, 500 points.
    expect((await apiMe(await apiSession(token))).points.balance).toBe(240);
    await settled(page);
    await screenshot(page, 'views-redeemed-360');
    await context.close();
  });

  it('says so when the points are gone by the time of the confirm (409), and takes nothing', async () => {
    const { token } = await customer('cust-short');
    const context = await browser.newContext();
    const page = await signIn(context, token);
    expect(await part(page, 'balance').textContent()).toBe('740');
    await page.locator('boomerang-loyalty [data-key="redeem:ten-off"]').click();
    await page.locator('boomerang-loyalty [data-key="confirm"]').waitFor();
    // Meanwhile the same reward is redeemed in another tab: 240 points left.
    const other = await stack.api('POST', `/storefront/${shopId()}/me/redemptions`, {
      key: await apiSession(token),
      body: { rewardId: 'ten-off' },
      headers: { origin: storefront.origin, 'idempotency-key': `other-tab-${Date.now()}-redemption` },
    });
    expect(other.status, other.text).toBe(201);
    await page.locator('boomerang-loyalty [data-key="confirm"]').click();
    await page.locator('boomerang-loyalty [role="alert"]').waitFor();
    expect(await page.locator('boomerang-loyalty [role="alert"]').textContent()).toContain('not have enough points');
    // The balance shown is the ledger's: the refused redemption took nothing.
    await expect.poll(() => part(page, 'balance').textContent()).toBe('240');
    expect((await apiMe(await apiSession(token))).points.balance).toBe(240);
    await context.close();
  });

  it('keeps the session for the tab, and drops to anonymous when the API refuses it', async () => {
    const { token } = await customer('cust-session');
    const context = await browser.newContext();
    const page = await signIn(context, token);
    const stored = (await page.evaluate((key) => sessionStorage.getItem(key), sessionKey()))!;
    await page.reload();
    await page.locator('boomerang-loyalty[data-state="signed-in"]').waitFor({ state: 'attached' });
    await part(page, 'launcher').click();
    await part(page, 'balance').waitFor();

    // A customer token not signed with the shop's secret: identify() is refused.
    const refused = await browser.newContext();
    const other = await refused.newPage();
    await other.goto(storefront.origin);
    await other.locator('boomerang-loyalty[data-state]').waitFor({ state: 'attached' });
    const forgedToken = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('cust-session')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode('not-the-storefront-secret'));
    expect(await other.evaluate((t) => window.Boomerang.identify(t), forgedToken)).toBe(false);
    expect(await other.locator('boomerang-loyalty').getAttribute('data-state')).toBe('anonymous');

    // A session in the tab's storage that the API answers with 401 (its signature tampered with):
    // the widget drops it and shows the anonymous view.
    const session = JSON.parse(stored) as { sessionToken: string };
    const t = session.sessionToken;
    const tampered = {
      ...session,
      sessionToken: `${t.slice(0, -8)}${t.slice(-8) === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA'}`,
    };
    const forged = await browser.newContext();
    await forged.addInitScript(
      ([key, value]) => sessionStorage.setItem(key!, value!),
      [sessionKey(), JSON.stringify(tampered)],
    );
    const tab = await forged.newPage();
    const refusedMe = tab.waitForResponse((r) => r.url().includes('/me') && r.request().method() === 'GET');
    await tab.goto(storefront.origin);
    expect((await refusedMe).status()).toBe(401);
    await tab.locator('boomerang-loyalty[data-state="anonymous"]').waitFor({ state: 'attached' });
    await expect.poll(() => tab.evaluate((key) => sessionStorage.getItem(key), sessionKey())).toBeNull();
    // The customer is told why, in the panel, not only through the live region.
    await part(tab, 'launcher').click();
    expect(await tab.locator('boomerang-loyalty [role="alert"]').textContent()).toContain('session ended');
    await context.close();
    await refused.close();
    await forged.close();
  });

  it('anonymous: the program in short with Join and Sign in, in the shop colour', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(storefront.origin);
    await part(page, 'launcher').click();
    await page.locator('boomerang-loyalty a', { hasText: 'Join' }).waitFor();
    expect(await page.locator('boomerang-loyalty a', { hasText: 'Sign in' }).getAttribute('href')).toBe(signInUrl);
    expect(await part(page, 'launcher').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(10, 125, 90)');
    await settled(page);
    await screenshot(page, 'views-anonymous-desktop');
    await context.close();
  });

  it('arriving through a referral link: the friend’s offer first, in Danish on a Danish page', async () => {
    const { token } = await customer('cust-referrer');
    const code = (await apiMe(await apiSession(token))).referral!.code;
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await context.newPage();
    await page.goto(`${storefront.origin}/?lang=da&ref=${encodeURIComponent(code)}`);
    await part(page, 'launcher').click();
    const first = page.locator('boomerang-loyalty [data-part="panel"] section').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('10 % rabat');
    await settled(page);
    await screenshot(page, 'views-referral-da-360');
    await context.close();
  });
});
