import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../infra/routes';
import { startTestStack, type TestStack } from '../support/stack';
import {
  launchChromium,
  part,
  screenshot,
  shopWithCustomer,
  startStorefront,
  storefrontHtml,
  type StorefrontPage,
} from './support';

/**
 * The signed-in widget end to end: a customer who ordered through a real Shopify webhook, a
 * customer token minted as a shop's backend would (jose, the storefront secret), identify(),
 * balance, redemption with a code shown once, the referral link copied.
 *
 * DEPENDS ON THE STOREFRONT API (issue 12 item 2: POST /storefront/{shopId}/session, GET …/me,
 * POST …/me/redemptions, `storefrontSecret` from POST /admin/shops). Until those routes exist this
 * file fails in beforeAll, on purpose: it is not skipped.
 */
declare const window: { Boomerang: { identify(token: string): Promise<boolean> } };
declare const navigator: { clipboard: { readText(): Promise<string> } };

const rewards = [
  { id: 'ten-off', name: '10 USD off', type: 'discount_code', pointsCost: 100, valueMinor: 1000 },
  { id: 'big-credit', name: '50 USD credit', type: 'store_credit', pointsCost: 5000, valueMinor: 5000 },
];

const waysToEarn = [
  { type: 'newsletter', points: 50 },
  { type: 'birthday', points: 200, limit: 'year' },
  { type: 'review', points: 25, limit: 'day' },
  { type: 'social_follow:instagram', points: 20, url: 'https://instagram.example/keramik' },
];

let stack: TestStack;
let storefront: StorefrontPage;
let browser: Browser;
let shopId = '';
let customerToken = '';

beforeAll(async () => {
  const missing = ['POST /storefront/{shopId}/session', 'GET /storefront/{shopId}/me'].filter(
    (key) => !routes.some((r) => `${r.method} ${r.path}` === key),
  );
  if (missing.length) throw new Error(`The storefront API is not built yet (missing ${missing.join(', ')})`);

  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  storefront = await startStorefront(() => storefrontHtml({ apiBase: stack.baseUrl, shopId }));

  // 414 points pending for the return window, 200 spendable.
  ({ shopId, token: customerToken } = await shopWithCustomer(stack, {
    points: 200,
    shop: { storefrontUrl: storefront.origin, program: { rewards, waysToEarn } },
  }));
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.close();
});

const signedInPage = async (context: BrowserContext): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(storefront.origin);
  await page.locator('boomerang-loyalty[data-state="anonymous"]').waitFor({ state: 'attached' });
  expect(await page.evaluate((token) => window.Boomerang.identify(token), customerToken)).toBe(true);
  expect(await page.locator('boomerang-loyalty').getAttribute('data-state')).toBe('signed-in');
  return page;
};

describe('the signed-in widget', () => {
  it('shows the balance, redeems once with a code and copies the referral link', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: storefront.origin });
    const page = await signedInPage(context);

    await part(page, 'launcher').click();
    await part(page, 'balance').waitFor();
    expect(await part(page, 'balance').textContent()).toBe('200');
    await page.waitForTimeout(300);
    await screenshot(page, 'signed-in-desktop-open');

    await page.locator('boomerang-loyalty [data-key="redeem:ten-off"]').click();
    expect(await page.locator('boomerang-loyalty [data-key="redeem:big-credit"]').isDisabled()).toBe(true);
    await page.locator('boomerang-loyalty [data-key="confirm"]').click();
    const code = part(page, 'code');
    await code.waitFor();
    expect((await code.textContent())!.length).toBeGreaterThan(3);
    await expect.poll(() => part(page, 'balance').textContent()).toBe('100');
    await screenshot(page, 'signed-in-redeemed');

    // The code is shown once: closing the panel forgets it.
    await page.keyboard.press('Escape');
    await part(page, 'launcher').click();
    await part(page, 'balance').waitFor();
    expect(await code.count()).toBe(0);

    const link = await part(page, 'referral-link').inputValue();
    expect(link).toMatch(/^https?:\/\/.+\/r\/.+/);
    await page.locator('boomerang-loyalty [data-key="copy-link"]').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await context.close();
  });

  it('claims a way to earn and sets the birthday from the keyboard, at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await signedInPage(context);
    await part(page, 'launcher').click();
    await part(page, 'balance').waitFor();
    const before = Number(await part(page, 'balance').textContent());
    const ways = page.locator('boomerang-loyalty [data-way]');
    await ways.first().waitFor();
    expect(await ways.evaluateAll((els) => els.map((e) => e.getAttribute('data-way')))).toEqual([
      'newsletter',
      'birthday',
      'review',
      'social_follow:instagram',
    ]);
    // A follow links to the shop's profile, in a new tab that cannot reach back into the shop's page.
    const follow = page.locator('boomerang-loyalty [data-way="social_follow:instagram"] a');
    expect(await follow.getAttribute('href')).toBe('https://instagram.example/keramik');
    expect(await follow.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await follow.textContent()).toBe('Follow us on Instagram');
    // A review is the shop's to confirm: no button for it.
    expect(await page.locator('boomerang-loyalty [data-key="claim:review"]').count()).toBe(0);

    await page.locator('boomerang-loyalty [data-key="claim:newsletter"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => part(page, 'balance').textContent()).toBe(String(before + 50));
    await expect.poll(() => page.locator('boomerang-loyalty [data-key="claim:newsletter"]').count()).toBe(0);

    await page.locator('boomerang-loyalty #bmr-bday').focus();
    await page.keyboard.type('07-14');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('boomerang-loyalty [data-way="birthday"]').textContent()).toContain('07-14');
    // Storing the birthday pays nothing: the points come on the day.
    expect(await part(page, 'balance').textContent()).toBe(String(before + 50));
    const box = (await page.locator('boomerang-loyalty [data-way="birthday"]').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await page.locator('boomerang-loyalty [data-way="newsletter"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await screenshot(page, 'signed-in-360-ways-to-earn');
    await context.close();
  });

  it('fits a 360 px screen signed in too', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await signedInPage(context);
    await part(page, 'launcher').click();
    await part(page, 'balance').waitFor();
    const box = (await part(page, 'panel').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await page.waitForTimeout(300);
    await screenshot(page, 'signed-in-360-open');
    await context.close();
  });
});
