import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { listen } from '../../local/gateway';
import { shopifyHeaders, shopifyPaidOrder } from '../support/payloads';
import { validShopInput, type TestStack } from '../support/stack';

/**
 * The browser harness: Debian's Chromium driven by playwright-core (no browser download), a
 * storefront page on its own origin that embeds the widget with one script tag, and screenshots
 * under test/artifacts/ (git-ignored; CI keeps them as artifacts).
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const artifactsDir = path.resolve(import.meta.dirname, '..', 'artifacts');

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    // Containers and CI run as root, where Chromium's sandbox cannot start.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
};

/** Non-transparent pixels on each chart canvas of the page (uPlot draws series, axes and grid there). */
export const paintedPixels = async (page: Page): Promise<number[]> =>
  (await page.evaluate(`[...document.querySelectorAll('.plot canvas')].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  })`)) as number[];

export interface StorefrontPage {
  /** e.g. http://localhost:51234: not the gateway's origin, so every API call is cross-origin. */
  origin: string;
  close(): Promise<void>;
}

export interface PageOptions {
  apiBase: string;
  shopId: string;
  lang?: string;
}

/**
 * A shop's page: some content, hostile-ish CSS (a widget outside Shadow DOM would pick it up)
 * and the script tag exactly as a shop pastes it, plus `data-api` pointing at the gateway.
 */
export const storefrontHtml = ({ apiBase, shopId, lang = 'en' }: PageOptions): string => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test storefront</title>
<style>
  body { margin: 0; font-family: Georgia, serif; background: #faf7f2; }
  button { background: hotpink !important; font-size: 30px !important; }
  * { letter-spacing: 0.2em; }
  main { padding: 24px; max-width: 960px; margin: 0 auto; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 16px; }
  .card { background: #fff; border: 1px solid #ddd; height: 160px; }
</style></head>
<body><main><h1>Test storefront</h1><p>Ceramics, made slowly.</p>
<div class="grid">${'<div class="card"></div>'.repeat(8)}</div></main>
<script src="${apiBase}/widget.js" data-shop="${shopId}" data-api="${apiBase}" async></script>
</body></html>`;

/**
 * Serves the storefront page on a free port; `html` is called per request (the shop may be
 * created later) with the request's URL, so a test can ask for `/?lang=da`.
 */
export const startStorefront = async (html: (url: URL) => string): Promise<StorefrontPage> => {
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/favicon')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(new URL(req.url ?? '/', 'http://x')));
  });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

/** Runs in the page: the widget's shadow root part, for `page.evaluate`. */
export const part = (page: Page, name: string) => page.locator(`boomerang-loyalty [data-part="${name}"]`);

/** The customer of the Shopify order sample. */
export const sampleCustomerId = '115310627314723954';

/**
 * A Shopify shop with one customer to sign in: a real paid order through the webhook (414 points,
 * pending for the return window), `points` spendable on top, and a customer token minted as a
 * shop's backend would (jose, the storefront secret).
 */
export const shopWithCustomer = async (
  stack: TestStack,
  o: { points: number; shop?: Record<string, unknown> },
): Promise<{ shopId: string; apiKey: string; token: string }> => {
  const input = validShopInput({ platform: 'shopify', currency: 'USD', ...o.shop });
  const created = await stack.api('POST', '/admin/shops', { key: stack.operatorKey, body: input });
  expect(created.status, created.text).toBe(201);
  const { apiKey, storefrontSecret } = created.json as { apiKey: string; storefrontSecret: string };
  expect(storefrontSecret).toEqual(expect.any(String));
  const body = shopifyPaidOrder();
  const order = await stack.api('POST', `/webhooks/shopify/${input.id}`, {
    body,
    headers: shopifyHeaders(body, input.webhookSecret, 'orders/paid'),
  });
  expect(order.json).toMatchObject({ status: 'processed' });
  const adjusted = await stack.api('POST', `/admin/shops/${input.id}/customers/${sampleCustomerId}/adjustments`, {
    key: apiKey,
    body: { points: o.points, reason: 'Welcome gift (browser test)' },
  });
  expect(adjusted.status, adjusted.text).toBe(201);
  const token = await new SignJWT({ email: 'jon@example.com' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sampleCustomerId)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(storefrontSecret));
  return { shopId: input.id, apiKey, token };
};
