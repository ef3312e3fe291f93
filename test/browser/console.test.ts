import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Request, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, listen } from '../../local/gateway';
import * as f from './console-fixtures';
import { artifactsDir, launchChromium, paintedPixels, screenshot } from './support';

/**
 * The console (web/console/) in Chromium, served by the real console-assets handler through the
 * local gateway, with the API stubbed by `page.route` (the sign-in, users, audit and stats routes
 * are built in parallel; console-fixtures.ts pins the shapes the UI reads). Screenshots of every
 * page at desktop size and on a 360 px phone go to test/artifacts/console-*.png.
 */
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  server = createGateway();
  const port = await listen(server, 0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

type Answer = { status: number; body?: unknown };
type Handler = (req: Request, url: URL) => Answer | undefined;

/**
 * A context whose API calls are answered by `handlers` (first match wins; the default set serves
 * the fixtures) and recorded; requests to any other origin fail the test (no third parties).
 */
const open = async (
  o: { viewport?: { width: number; height: number }; locale?: string; handlers?: Handler[]; signedIn?: boolean } = {},
) => {
  const context: BrowserContext = await browser.newContext({
    viewport: o.viewport ?? { width: 1280, height: 900 },
    locale: o.locale ?? 'en-GB',
  });
  const calls: Recorded[] = [];
  const foreign: string[] = [];
  const consoleErrors: string[] = [];
  const defaults: Handler = (req, url) => {
    const p = url.pathname;
    const s = `/admin/shops/${f.shopId}`;
    if (p === '/console/auth/me')
      return o.signedIn === false ? { status: 401, body: err('unauthorized') } : { status: 200, body: f.me() };
    if (req.method() === 'GET') {
      const table: Record<string, unknown> = {
        [`${s}/stats/overview`]: f.overview,
        [`${s}/stats/daily`]: f.daily(),
        [`${s}/metrics`]: f.metrics,
        [`${s}/customers/jon%40example.com`]: f.customer,
        [`${s}/customers/jon%40example.com/tier-history`]: f.tierHistory,
        [`${s}/referrals`]: f.heldReferrals,
        [`${s}/referrals/stats`]: f.referralStats,
        [s]: { shop: { id: f.shopId, name: 'Keramik & Co', currency: 'DKK', program: f.program } },
        [`${s}/jobs`]: f.jobs,
        [`${s}/jobs/job_02`]: f.job,
        [`${s}/users`]: f.users,
        [`${s}/audit`]: f.audit,
        [`${s}/outbox`]: f.outboxFailed,
        [`${s}/suppressions`]: f.suppressions,
      };
      if (p in table) return { status: 200, body: table[p] };
      const preview = new RegExp(`^${s}/emails/[a-z_]+/preview$`).exec(p);
      if (preview) return { status: 200, body: f.emailPreview(url.searchParams.get('locale') ?? 'en') };
    }
    return undefined;
  };
  await context.route('**/*', async (route: Route) => {
    const req = route.request();
    const url = new URL(req.url());
    if (url.origin !== base) {
      foreign.push(req.url());
      return route.abort();
    }
    if (url.pathname === '/console' || url.pathname.startsWith('/console/assets/')) return route.continue();
    let body: unknown;
    try {
      body = req.postDataJSON() as unknown;
    } catch {
      body = req.postData();
    }
    calls.push({ method: req.method(), path: url.pathname + url.search, headers: req.headers(), body });
    for (const h of [...(o.handlers ?? []), defaults]) {
      const a = h(req, url);
      if (a) {
        return route.fulfill({
          status: a.status,
          contentType: 'application/json',
          body: a.body === undefined ? '' : JSON.stringify(a.body),
        });
      }
    }
    return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify(err('not_found')) });
  });
  const page: Page = await context.newPage();
  page.on('console', (m) => {
    // A 401 or 404 the app handles still shows as a failed load; those are not errors of the app.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  return { context, page, calls, foreign, consoleErrors };
};

const err = (code: string, details?: unknown) => ({
  error: { code, message: code.replace(/_/g, ' '), ...(details ? { details } : {}) },
});

const goto = async (page: Page, hash = '') => {
  const res = await page.goto(`${base}/console${hash}`);
  expect(res?.status()).toBe(200);
  return res!;
};

/** Fails when the page is wider than the viewport (a sideways scroll on a phone). */
const expectNoSidewaysScroll = async (page: Page) => {
  // The widest elements that stick out name the culprit when this fails.
  const wide = (await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap, .sr-only'))
    .slice(0, 5)
    .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`)) as string[];
  expect(wide).toEqual([]);
  const [scroll, width] = (await page.evaluate(
    '[document.documentElement.scrollWidth, window.innerWidth]',
  )) as number[];
  expect(scroll).toBeLessThanOrEqual(width!);
};

const phone = { width: 360, height: 780 };

describe('the console shell', () => {
  it('is one HTML document with a strict CSP, no inline script, hashed immutable assets and no third-party requests', async () => {
    const { page, context, foreign } = await open({ signedIn: false });
    const res = await goto(page);
    const headers = res.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(headers['cache-control']).toBe('no-cache');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const src = /src="(\/console\/assets\/console-[A-Z0-9]+\.js)"/.exec(html)![1]!;
    const asset = await page.request.get(`${base}${src}`);
    expect(asset.status()).toBe(200);
    expect(asset.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await page.request.get(`${base}/console/assets/console-OLD.js`)).status()).toBe(404);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(foreign).toEqual([]);
    await context.close();
  });
});

describe('sign-in', () => {
  it('sends the link and says to check the e-mail; 360 px wide too', async () => {
    const { page, context, calls, consoleErrors } = await open({
      signedIn: false,
      viewport: phone,
      handlers: [
        (req, url) =>
          url.pathname === '/console/auth/request' ? { status: 202, body: { status: 'sent' } } : undefined,
      ],
    });
    await goto(page);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'console-sign-in-360');
    await page.getByRole('button', { name: 'Send sign-in link' }).click();
    // An empty address is stopped in the browser.
    expect(calls.filter((c) => c.path === '/console/auth/request')).toEqual([]);
    await page.getByLabel('E-mail address').fill('owner@keramik.example');
    await page.getByRole('button', { name: 'Send sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    expect(await page.textContent('[data-view="check-email"]')).toContain('owner@keramik.example');
    const sent = calls.find((c) => c.path === '/console/auth/request')!;
    expect(sent).toMatchObject({ method: 'POST', body: { email: 'owner@keramik.example' } });
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'console-check-email-360');
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('offers a shop picker when several shops and none chosen, then asks me with the shopId', async () => {
    const { page, context, calls } = await open({
      handlers: [
        (_req, url) =>
          url.pathname === '/console/auth/me' && !url.searchParams.get('shopId')
            ? { status: 200, body: f.me({ shop: false }) }
            : undefined,
      ],
    });
    await goto(page);
    await page.getByRole('heading', { name: 'Choose a shop' }).waitFor();
    await screenshot(page, 'console-shop-picker');
    await page.getByRole('button', { name: /Keramik & Co/ }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(calls.some((c) => c.path === `/console/auth/me?shopId=${f.shopId}`)).toBe(true);
    await context.close();
  });

  it('signs out with the CSRF token and returns to sign-in; a 401 from any call does too', async () => {
    const { page, context, calls } = await open({
      handlers: [(_req, url) => (url.pathname === '/console/auth/logout' ? { status: 204 } : undefined)],
    });
    await goto(page, '#/overview');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const out = calls.find((c) => c.path === '/console/auth/logout')!;
    expect(out.headers['x-csrf-token']).toBe('csrf-123');
    await context.close();

    const second = await open({
      handlers: [
        (_req, url) =>
          url.pathname.endsWith('/referrals') ? { status: 401, body: err('unauthenticated') } : undefined,
      ],
    });
    await goto(second.page, '#/referrals');
    await second.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await second.context.close();
  });
});

describe('overview', () => {
  it('shows KPI cards with change and draws every chart on a non-empty canvas, its numbers in a table', async () => {
    const { page, context, calls, consoleErrors } = await open();
    await goto(page, '#/overview');
    await page.getByText('Members').first().waitFor();
    await page.locator('.plot canvas').first().waitFor();
    expect(await page.locator('.kpi').count()).toBe(9);
    expect(await page.textContent('.kpis')).toContain('+7.6%');
    // Money from minor units with the currency's exponent: 48 250 000 øre is 482,500 kr.
    expect(await page.textContent('.kpis')).toMatch(/DKK\s482,500/);
    const painted = await paintedPixels(page);
    expect(painted).toHaveLength(5);
    for (const n of painted) expect(n).toBeGreaterThan(500);
    // The numbers behind a chart: a table for screen readers, shown on request.
    const firstTable = page.locator('figure.chart').first().locator('table.data');
    expect(await firstTable.locator('tbody tr').count()).toBe(30);
    await page.getByRole('button', { name: 'Show numbers' }).first().click();
    expect(await firstTable.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Hide numbers' }).first().click();
    expect(calls.find((c) => c.path.startsWith(`/admin/shops/${f.shopId}/stats/overview`))!.path).toContain('days=30');
    expect(calls.find((c) => c.path.startsWith(`/admin/shops/${f.shopId}/stats/daily`))!.path).toMatch(
      /from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/,
    );
    expect(await page.textContent('main')).toContain('Customers by tier');
    expect(await page.textContent('main')).toContain('points_expiring');
    // Loyalty over time from GET …/metrics: a night without loyalty-index answers is a gap, not a 0.
    const loyalty = page.locator('figure.chart', { hasText: 'Loyalty over time' }).locator('table.data tbody tr');
    expect(await loyalty.count()).toBe(3);
    expect((await loyalty.first().textContent())!.replace(/\s+/g, ' ')).toMatch(/31\.5\s*–\s*21/);
    expect(
      await page.locator('figure.chart', { hasText: 'Loyalty over time' }).locator('.totals').textContent(),
    ).toMatch(/NPS: 35\.5.*Loyalty index \(CLI\): 72\.5.*Engaged customers, %: 25/);
    expect(calls.find((c) => c.path.startsWith(`/admin/shops/${f.shopId}/metrics`))!.path).toMatch(
      /from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d/,
    );
    await screenshot(page, 'console-overview');
    await page.screenshot({ path: path.join(artifactsDir, 'console-overview-full.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('fits a 360 px phone: the navigation collapses behind a menu button', async () => {
    const { page, context } = await open({ viewport: phone });
    await goto(page, '#/overview');
    await page.locator('.plot canvas').first().waitFor();
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: 'Customers' }).isVisible()).toBe(false);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'console-overview-360');
    await page.getByRole('button', { name: 'Menu' }).click();
    expect(await nav.getByRole('link', { name: 'Customers' }).isVisible()).toBe(true);
    await screenshot(page, 'console-menu-360');
    await nav.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: 'Customers' }).isVisible()).toBe(false);
    await context.close();
  });

  it('shows "your role cannot do this" on a 403', async () => {
    const { page, context } = await open({
      handlers: [
        (_req, url) => (url.pathname.includes('/stats/') ? { status: 403, body: err('role_forbidden') } : undefined),
      ],
    });
    await goto(page, '#/overview');
    await page.getByText('Your role cannot do this.').first().waitFor();
    await context.close();
  });
});

describe('navigation by role', () => {
  it('shows a support user only the pages support may use', async () => {
    const { page, context } = await open({
      handlers: [
        (_req, url) =>
          url.pathname === '/console/auth/me'
            ? {
                status: 200,
                body: f.me({ role: 'support' }),
              }
            : undefined,
      ],
    });
    await goto(page);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    const links = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(links).toEqual(['Customers', 'Referrals']);
    await context.close();
  });
});

describe('customers', () => {
  it('finds a customer, tells the ledger in words, and requires a reason to adjust points', async () => {
    const { page, context, calls } = await open({
      handlers: [
        (req, url) =>
          req.method() === 'POST' && url.pathname.endsWith('/adjustments')
            ? { status: 201, body: { entry: {}, points: { balance: 790, pending: 414 } } }
            : undefined,
      ],
    });
    await goto(page, '#/customers');
    await page.getByLabel('E-mail or platform customer id').fill('jon@example.com');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /Jon Snow/ }).waitFor();
    expect(await page.textContent('.ledger')).toContain('Earned 414 points on order 1042');
    expect(await page.textContent('.ledger')).toContain('Reason: Welcome gift');
    expect(await page.textContent('main')).toContain('Churn risk 23 % (loyal)');
    expect(await page.textContent('main')).toMatch(/Membership\s*VIP Club\s*Paid through .*2026 · 250 % points/);
    await page.getByLabel('Points (negative to remove)').fill('50');
    await page.getByRole('button', { name: 'Adjust points' }).click();
    await page.getByText('Give a reason for the adjustment.').waitFor();
    expect(await page.getByLabel('Reason (shown in the audit log)').getAttribute('aria-invalid')).toBe('true');
    expect(calls.filter((c) => c.path.endsWith('/adjustments'))).toEqual([]);
    await screenshot(page, 'console-customer-reason-required');
    await page.getByLabel('Reason (shown in the audit log)').fill('Broken mug, goodwill');
    await page.getByRole('button', { name: 'Adjust points' }).click();
    await page.getByText('Adjusted. New balance: 790.').waitFor();
    const adjust = calls.find((c) => c.path.endsWith('/adjustments'))!;
    expect(adjust.body).toEqual({ points: 50, reason: 'Broken mug, goodwill' });
    expect(adjust.headers['x-csrf-token']).toBe('csrf-123');
    expect(await page.getByRole('link', { name: 'Download GDPR export' }).getAttribute('href')).toBe(
      `/admin/shops/${f.shopId}/customers/jon%40example.com/export`,
    );
    await screenshot(page, 'console-customer');
    await context.close();

    const small = await open({ viewport: phone });
    await goto(small.page, '#/customers/jon%40example.com');
    await small.page.getByRole('heading', { name: /Jon Snow/ }).waitFor();
    await expectNoSidewaysScroll(small.page);
    await screenshot(small.page, 'console-customer-360');
    await small.context.close();
  });
});

describe('program editor', () => {
  it('checks with the API schema, previews earning, shows a diff, and shows the server 400 by field', async () => {
    let patches = 0;
    const { page, context, calls } = await open({
      handlers: [
        (req) => {
          if (req.method() !== 'PATCH') return undefined;
          patches += 1;
          return patches === 1
            ? {
                status: 400,
                body: err('validation_failed', [{ path: 'program.rewards.0.name', message: 'Name taken' }]),
              }
            : { status: 200, body: { shop: { program: (req.postDataJSON() as { program: unknown }).program } } };
        },
      ],
    });
    await goto(page, '#/program');
    const rate = page.getByLabel('Points', { exact: true });
    await rate.waitFor();
    await page.getByLabel('Order amount (DKK)').fill('249.95');
    await page.getByText('An order of DKK 249.95 earns 249 points.').waitFor();
    await rate.fill('-1');
    await page.getByText('Too small: expected number to be >=0').waitFor();
    expect(await rate.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('button', { name: 'Review changes' }).isDisabled()).toBe(true);
    await screenshot(page, 'console-program-error');
    await rate.fill('2');
    await page.getByText('An order of DKK 249.95 earns 499 points.').waitFor();
    await page.getByRole('button', { name: 'Review changes' }).click();
    const diff = page.locator('[data-view="program-diff"]');
    await diff.getByText('earning.rate.points').waitFor();
    expect(await diff.locator('del').first().textContent()).toBe('1');
    expect(await diff.locator('ins').first().textContent()).toBe('2');
    await screenshot(page, 'console-program-diff');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Name taken').waitFor();
    expect(await page.locator('input[name="rewards.0.name"]').getAttribute('aria-invalid')).toBe('true');
    await page.locator('input[name="rewards.0.name"]').fill('50 kr. rabat');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const patch = calls.filter((c) => c.method === 'PATCH').at(-1)!;
    expect(patch.headers['x-csrf-token']).toBe('csrf-123');
    const sent = (patch.body as { program: typeof f.program }).program;
    expect(sent.earning.rate.points).toBe(2);
    expect(sent.rewards.map((r) => r.name)).toEqual(['50 kr. rabat', '100 DKK store credit']);
    await context.close();

    const small = await open({ viewport: phone });
    await goto(small.page, '#/program');
    await small.page.getByLabel('Points', { exact: true }).waitFor();
    await expectNoSidewaysScroll(small.page);
    await screenshot(small.page, 'console-program-360');
    await small.context.close();
  });

  it('edits an exclusive reward: type, stock, per-customer limit and a tier gate', async () => {
    const { page, context, calls } = await open({
      handlers: [
        (req) =>
          req.method() === 'PATCH'
            ? { status: 200, body: { shop: { program: (req.postDataJSON() as { program: unknown }).program } } }
            : undefined,
      ],
    });
    await goto(page, '#/program');
    const type = page.locator('select[name="rewards.0.type"]');
    await type.waitFor();
    await type.selectOption('experience');
    await page.locator('input[name="rewards.0.startsAt"]').fill('tomorrow');
    await page.getByText('Invalid ISO datetime').waitFor();
    await page.locator('input[name="rewards.0.startsAt"]').fill('2026-12-24T18:00:00+01:00');
    await page.locator('input[name="rewards.0.stock"]').fill('12');
    await page.locator('input[name="rewards.0.perCustomerLimit"]').fill('1');
    const tier = page.locator('select[name="rewards.0.requires.tier"]');
    expect(await tier.locator('option').allTextContents()).toEqual(['Everyone', 'Bronze', 'Silver']);
    await tier.selectOption('silver');
    await screenshot(page, 'console-program-exclusive-reward');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    const sent = (calls.filter((c) => c.method === 'PATCH').at(-1)!.body as { program: typeof f.program }).program;
    expect(sent.rewards[0]).toMatchObject({
      type: 'experience',
      startsAt: '2026-12-24T18:00:00+01:00',
      stock: 12,
      perCustomerLimit: 1,
      requires: { tier: 'silver' },
    });
    await context.close();
  });
});

describe('Danish', () => {
  it('follows the browser language, and the picker switches back to English', async () => {
    const { page, context } = await open({ locale: 'da-DK' });
    await goto(page, '#/overview');
    await page.getByRole('heading', { name: 'Overblik' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    expect(await page.getByRole('navigation').getByRole('link').allTextContents()).toContain('Kunder');
    // Danish number formatting: 482.500 kr.
    expect(await page.textContent('.kpis')).toContain('482.500');
    await page.locator('.plot canvas').first().waitFor();
    await screenshot(page, 'console-overview-da');
    // A fraud reason in Danish by its code (the server writes English).
    await page.evaluate("location.hash = '#/referrals'");
    await page.getByText('Ordren sendes til henviserens adresse', { exact: false }).waitFor();
    await page.getByLabel('Sprog').selectOption('en');
    await page.getByRole('heading', { name: 'Referrals', level: 1 }).waitFor();
    await page.getByText("The order ships to the referrer's address.").waitFor();
    await context.close();

    const small = await open({ locale: 'da-DK', viewport: phone, signedIn: false });
    await goto(small.page);
    await small.page.getByRole('heading', { name: 'Log ind' }).waitFor();
    await screenshot(small.page, 'console-sign-in-da-360');
    await small.context.close();
  });
});

describe('every other page', () => {
  const pages: { hash: string; heading: string; ready: string }[] = [
    { hash: '#/referrals', heading: 'Referrals', ready: 'sam@example.com' },
    { hash: '#/emails', heading: 'E-mails', ready: 'MessageRejected' },
    { hash: '#/segments', heading: 'Segments & exports', ready: 'Latest run' },
    { hash: '#/users', heading: 'Users', ready: 'support@keramik.example' },
    { hash: '#/audit', heading: 'Audit log', ready: 'earning.rate.points' },
  ];
  for (const p of pages) {
    it(`${p.heading} renders at desktop size and at 360 px`, async () => {
      for (const viewport of [undefined, phone]) {
        const { page, context, consoleErrors } = await open(viewport ? { viewport } : {});
        await goto(page, p.hash);
        await page.getByRole('heading', { name: p.heading, level: 1 }).waitFor();
        await page.getByText(p.ready).first().waitFor();
        if (p.hash === '#/emails') {
          // The preview renders the e-mail's own HTML in its sandboxed frame.
          const frame = page.frames().find((fr) => fr !== page.mainFrame())!;
          expect(await frame.locator('h1').textContent()).toBe('Congratulations, Jon');
        }
        if (viewport) await expectNoSidewaysScroll(page);
        await screenshot(page, `console-${p.hash.slice(2)}${viewport ? '-360' : ''}`);
        expect(consoleErrors).toEqual([]);
        await context.close();
      }
    });
  }

  it('approves a held referral with the CSRF token; keyboard alone reaches the skip link and the page', async () => {
    const { page, context, calls } = await open({
      handlers: [
        (req, url) =>
          req.method() === 'POST' && url.pathname.endsWith('/approve') ? { status: 200, body: {} } : undefined,
      ],
    });
    await goto(page, '#/referrals');
    await page.getByText('sam@example.com').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.getByRole('button', { name: 'Approve: sam@example.com' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Approved.').waitFor();
    const approve = calls.find((c) => c.path.endsWith('/referrals/ref_01/approve'))!;
    expect(approve.headers['x-csrf-token']).toBe('csrf-123');
    await context.close();
  });
});
