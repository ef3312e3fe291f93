import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Exclusive rewards in the widget and on the hosted page (docs/rewards.md): an experience with
 * one left, redeemed with the keyboard and then shown sold out; a product for the Gold tier shown
 * locked and why; a sold-out one; the same states in Danish, and on a 360 px screen.
 */
declare const window: { Boomerang: { identify(token: string): Promise<boolean> } };

const rewards = [
  {
    id: 'tasting',
    name: 'Tasting evening',
    type: 'experience',
    pointsCost: 300,
    valueMinor: 0,
    description: 'Wine and cheese with the makers',
    startsAt: '2026-12-24T18:00:00+01:00',
    stock: 1,
  },
  { id: 'gold-mug', name: 'Gold mug', type: 'product', pointsCost: 100, valueMinor: 0, requires: { tier: 'gold' } },
  { id: 'gone', name: 'Studio visit', type: 'experience', pointsCost: 100, valueMinor: 0, stock: 0 },
];

let stack: TestStack;
let storefront: StorefrontPage;
let browser: Browser;
let shopId = '';
let token = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  storefront = await startStorefront((url) =>
    storefrontHtml({ apiBase: stack.baseUrl, shopId, lang: url.searchParams.get('lang') ?? 'en' }),
  );
  ({ shopId, token } = await shopWithCustomer(stack, {
    points: 1000,
    shop: { storefrontUrl: storefront.origin, program: { rewards } },
  }));
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.close();
});

const reward = (page: Page, id: string) => page.locator(`boomerang-loyalty [data-reward="${id}"]`);
const note = (page: Page, id: string) => reward(page, id).locator('[data-part="reward-note"]');
const redeemButton = (page: Page, id: string) => page.locator(`boomerang-loyalty [data-key="redeem:${id}"]`);

const signedIn = async (context: BrowserContext, lang = 'en'): Promise<Page> => {
  const page = await context.newPage();
  await page.goto(`${storefront.origin}/?lang=${lang}`);
  await page.locator('boomerang-loyalty[data-state="anonymous"]').waitFor({ state: 'attached' });
  expect(await page.evaluate((t) => window.Boomerang.identify(t), token)).toBe(true);
  await part(page, 'launcher').click();
  await part(page, 'balance').waitFor();
  return page;
};

describe('exclusive rewards in the widget', () => {
  it('shows stock, locks and sold out, and redeems the last one with the keyboard', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await signedIn(context);
    expect(await note(page, 'tasting').textContent()).toBe('1 left');
    expect(await reward(page, 'tasting').locator('.muted').first().textContent()).toBe(
      'Wine and cheese with the makers · 24 December 2026',
    );
    expect(await note(page, 'gold-mug').textContent()).toBe('For Gold tier and above');
    expect(await note(page, 'gone').textContent()).toBe('Sold out');
    expect(await redeemButton(page, 'gold-mug').isDisabled()).toBe(true);
    expect(await redeemButton(page, 'gone').isDisabled()).toBe(true);
    await screenshot(page, 'exclusive-rewards-open');

    await redeemButton(page, 'tasting').focus();
    await page.keyboard.press('Enter');
    await page.locator('boomerang-loyalty [data-key="confirm"]').focus();
    await page.keyboard.press('Enter');
    await part(page, 'code').waitFor();
    expect(await part(page, 'code').textContent()).toMatch(/BMR-/);
    await expect.poll(() => part(page, 'balance').textContent()).toBe('700');
    // The fresh read after the redemption: none left.
    await expect.poll(() => note(page, 'tasting').textContent()).toBe('Sold out');
    expect(await redeemButton(page, 'tasting').isDisabled()).toBe(true);
    await context.close();
  });

  it('says the same in Danish, and fits a 360 px screen', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    const page = await signedIn(context, 'da');
    await expect.poll(() => note(page, 'tasting').textContent()).toBe('Udsolgt');
    expect(await note(page, 'gold-mug').textContent()).toBe('Kun for Gold-niveau og derover');
    const box = (await part(page, 'panel').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await screenshot(page, 'exclusive-rewards-da-360');
    await context.close();
  });

  it('shows the states on the hosted page for visitors', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.baseUrl}/p/${shopId}?locale=da`);
    const states = await page.locator('[data-part="reward-state"]').allTextContents();
    expect(states).toEqual(['Udsolgt', 'Kun for Gold-niveau og derover', 'Udsolgt']);
    await context.close();
  });
});
