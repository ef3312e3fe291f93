import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack';
import { launchChromium, part, screenshot, startStorefront, storefrontHtml, type StorefrontPage } from './support';

/**
 * The widget on a shop's page, anonymous: what works with the script alone (the storefront API
 * may still be answering errors, which the panel must survive). signed-in.test.ts covers the rest.
 */
// Functions passed to page.evaluate run in the browser; the root tsconfig has no DOM lib, so the
// few browser globals they use are declared for this file only.
declare const document: { documentElement: { scrollWidth: number } };
declare const getComputedStyle: (e: unknown) => { backgroundColor: string };
type ShadowRoot = { activeElement: unknown };

let stack: TestStack;
let storefront: StorefrontPage;
let browser: Browser;
let shopId = '';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
  storefront = await startStorefront((url) =>
    storefrontHtml({ apiBase: stack.baseUrl, shopId, lang: url.searchParams.get('lang') ?? 'en' }),
  );
  ({
    shop: { id: shopId },
  } = await stack.createShop({ storefrontUrl: storefront.origin }));
});
afterAll(async () => {
  await browser?.close();
  await storefront?.close();
  await stack?.close();
});

/** Uncaught errors of each page opened, checked when it is closed. */
const pageErrors = new Map<Page, string[]>();

const openPage = async (width: number, height: number): Promise<Page> => {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(storefront.origin);
  await page.locator('boomerang-loyalty[data-state]').waitFor({ state: 'attached' });
  return page;
};

const closePage = async (page: Page) => {
  expect(pageErrors.get(page), 'uncaught errors in the page').toEqual([]);
  await page.close();
};

describe('widget.js', () => {
  it('is served as a script with caching headers and a versioned immutable twin', async () => {
    const res = await fetch(`${stack.baseUrl}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/max-age=300/);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect((await res.text()).length).toBeGreaterThan(1000);

    const again = await fetch(`${stack.baseUrl}/widget.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    const versioned = await fetch(`${stack.baseUrl}/widget/${etag.slice(1, -1)}.js`);
    expect(versioned.status).toBe(200);
    expect(versioned.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const stale = await fetch(`${stack.baseUrl}/widget/0000000000000000.js`);
    expect(stale.status).toBe(404);
    expect(await stale.json()).toMatchObject({ error: { code: 'widget_version_not_found' } });
  });
});

describe('the anonymous widget', () => {
  it('renders from one script tag, opens with Enter, closes with Escape and gives focus back', async () => {
    const page = await openPage(1280, 800);
    const host = page.locator('boomerang-loyalty');
    expect(await host.getAttribute('data-state')).toBe('anonymous');
    const launcher = part(page, 'launcher');
    const panel = part(page, 'panel');
    await expect.poll(() => launcher.isVisible()).toBe(true);
    expect(await panel.isVisible()).toBe(false);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.getAttribute('aria-controls')).toBe(await panel.getAttribute('id'));
    // The shop's `button { background: hotpink !important }` stops at the shadow root.
    expect(await launcher.evaluate((b) => getComputedStyle(b).backgroundColor)).not.toBe('rgb(255, 105, 180)');
    await screenshot(page, 'anonymous-desktop-closed');

    await launcher.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.isVisible()).toBe(true);
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    expect(await panel.getAttribute('role')).toBe('dialog');
    const labelledBy = await panel.getAttribute('aria-labelledby');
    expect(await page.locator(`boomerang-loyalty #${labelledBy}`).textContent()).toBeTruthy();
    // Focus moved into the panel (in the task after the click's, see element.ts).
    await expect
      .poll(() => panel.evaluate((p) => p.contains((p.getRootNode() as ShadowRoot).activeElement)))
      .toBe(true);
    await page.waitForTimeout(300);
    await screenshot(page, 'anonymous-desktop-open');

    await page.keyboard.press('Escape');
    await expect.poll(() => panel.isVisible()).toBe(false);
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    expect(await launcher.evaluate((b) => (b.getRootNode() as ShadowRoot).activeElement === b)).toBe(true);
    await closePage(page);
  });

  it('fits a 360 px wide phone screen without horizontal scrolling', async () => {
    const page = await openPage(360, 740);
    await part(page, 'launcher').click();
    const panel = part(page, 'panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await page.waitForTimeout(300);
    const box = (await panel.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    expect(await panel.evaluate((p) => p.scrollWidth <= p.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(page, 'anonymous-360-open');
    await closePage(page);
  });

  it('shows the Danish strings for a page in Danish', async () => {
    const page = await browser.newPage();
    await page.goto(`${storefront.origin}/?lang=da`);
    await part(page, 'launcher').waitFor();
    expect(await part(page, 'launcher').textContent()).toContain('Fordele');
    await page.close();
  });
});
