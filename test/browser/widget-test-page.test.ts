import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { launchChromium, part, screenshot, shopWithCustomer } from './support';

/**
 * `npm start`'s widget test page (local/widget-test-page.ts, the demo's "Widget page" link): the
 * real widget on a stand-in shop page served from the API's origin, signed in by `?token=`.
 */
let stack: TestStack;
let browser: Browser;
let shopId = '';
let token = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  ({ shopId, token } = await shopWithCustomer(stack, {
    points: 321,
    shop: { storefront: { allowedOrigins: [new URL(stack.baseUrl).origin] } },
  }));
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the local widget test page', () => {
  it('shows the real widget, signed in and open, from ?token=', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    const answer = await page.goto(`${stack.baseUrl}/local/widget-test/${shopId}?token=${token}`);
    expect(answer?.status()).toBe(200);
    await page.locator('boomerang-loyalty[data-state="signed-in"]').waitFor({ state: 'attached' });
    await part(page, 'balance').waitFor();
    expect(await part(page, 'balance').textContent()).toBe('321');
    await page.waitForTimeout(300);
    await screenshot(page, 'widget-test-page-360');
    await page.close();
  });

  it('is anonymous without a token, and refuses a token that is not one', async () => {
    const page = await browser.newPage();
    await page.goto(`${stack.baseUrl}/local/widget-test/${shopId}`);
    await page.locator('boomerang-loyalty[data-state="anonymous"]').waitFor({ state: 'attached' });
    const bad = await stack.api('GET', `/local/widget-test/${shopId}?token=${encodeURIComponent('"><script>')}`);
    expect(bad.status).toBe(400);
    await page.close();
  });
});
