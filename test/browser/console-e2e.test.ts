import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { randomId, sesMessages, startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { launchChromium, paintedPixels, screenshot } from './support';

/**
 * The console end to end in Chromium against the local stack (the gateway of `npm start`, DynamoDB
 * Local, SES local), with a shop seeded through signed webhooks: magic-link sign-in read from SES
 * local's store, the overview's charts drawn from the stream-kept statistics, a support agent's
 * adjustment, a marketer's referral decision and refusals, the owner's program change taking effect
 * on the next webhook, and sign-out. Screenshots: test/artifacts/console-e2e-*.png.
 */
let stack: TestStack;
let shop: CreatedShop;
let browser: Browser;
const users = { owner: '', marketer: '', support: '' };
const dayMs = 86_400_000;
let seq = 0;

const shopPath = () => `/admin/shops/${shop.shop.id}`;

const send = async (o: {
  customer: { id: string; email: string };
  total: string;
  daysAgo: number;
  discountCodes?: string[];
  street?: string;
}) => {
  const id = `E2E-${++seq}`;
  await sendCustomOrder(
    stack,
    shop,
    customOrderBody({
      ...o,
      id,
      currency: 'EUR',
      sku: `SKU-${seq % 3}`,
      createdAt: new Date(Date.now() - o.daysAgo * dayMs).toISOString(),
    }),
  );
};

const customer = async (ref: string) =>
  (await stack.api('GET', `${shopPath()}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey })).json;

const earned = (c: { points: { balance: number; pending: number } }) => c.points.balance + c.points.pending;

beforeAll(async () => {
  process.env.BOOMERANG_CONSOLE_SIGNIN_RATE_PER_MINUTE = '10000';
  stack = await startTestStack();
  shop = await stack.createShop({
    currency: 'EUR',
    locale: 'en-GB',
    program: {
      earning: { rate: { points: 10, per: 1 } },
      referrals: { enabled: true, referrerRewardPoints: 500 },
      tiers: {
        enabled: true,
        qualifyOn: 'spend',
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: 0 },
          { id: 'silver', name: 'Silver', threshold: 100 },
        ],
      },
      rewards: [{ id: 'five-off', name: '€5 off', type: 'discount_code', pointsCost: 500, valueMinor: 500 }],
    },
  });
  for (const role of ['owner', 'marketer', 'support'] as const) {
    users[role] = `${randomId(role)}@e2e.example`;
    const r = await stack.api('POST', `${shopPath()}/users`, {
      key: stack.operatorKey,
      body: { email: users[role], role, name: `${role[0]!.toUpperCase()}${role.slice(1)} E2E` },
    });
    expect(r.status, r.text).toBe(201);
  }
  // Two weeks of orders from a dozen customers, some of them repeat buyers.
  for (let i = 0; i < 12; i++) {
    const c = { id: `c${i}`, email: `c${i}@e2e.example` };
    await send({ customer: c, total: `${20 + i * 5}.00`, daysAgo: 14 - i });
    if (i % 3 === 0) await send({ customer: c, total: '35.00', daysAgo: 13 - i });
  }
  // A referrer and a friend who ships to the referrer's address: held for review.
  await send({
    customer: { id: 'anna', email: 'anna@e2e.example' },
    total: '60.00',
    daysAgo: 5,
    street: 'Strandvejen 5',
  });
  const code = (await customer('anna')).referral.code as string;
  await send({
    customer: { id: 'erik', email: 'erik@e2e.example' },
    total: '40.00',
    daysAgo: 2,
    discountCodes: [code],
    street: 'Strandvejen 5',
  });
  const yesterday = new Date(Date.now() - dayMs).toISOString().slice(0, 10);
  const nightly = await stack.api('POST', `${shopPath()}/jobs/nightly?wait=true`, {
    key: shop.apiKey,
    body: { asOf: yesterday },
  });
  expect(nightly.status, nightly.text).toBeLessThan(300);
  await stack.drainStream();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const linksTo = async (email: string): Promise<string[]> =>
  (await sesMessages({ to: email })).flatMap(
    (m) => m.body.text?.match(/https?:\/\/\S+\/console\/auth\/verify\?token=[\w-]+/g) ?? [],
  );

/** Signs in through the page: the form, the e-mail in SES local, the link. */
const signIn = async (email: string, viewport = { width: 1280, height: 900 }) => {
  const context: BrowserContext = await browser.newContext({ viewport, locale: 'en-GB' });
  const page = await context.newPage();
  const before = new Set(await linksTo(email));
  await page.goto(`${stack.baseUrl}/console`);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Send sign-in link' }).click();
  await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    link = (await linksTo(email)).find((l) => !before.has(l));
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  expect(link, `a sign-in e-mail to ${email}`).toBeDefined();
  await page.goto(link!);
  expect(new URL(page.url()).pathname).toBe('/console');
  return { context, page };
};

const csrfFetch = (page: Page, method: string, path: string, body: unknown) =>
  page.evaluate(
    async ({ method, path, body }) => {
      const me = (await (await fetch('/console/auth/me')).json()) as { csrfToken: string };
      const res = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { error: { code: string } } };
    },
    { method, path, body },
  );

describe('the console against the local stack', () => {
  it('the owner signs in by magic link and the overview shows charts of real data', async () => {
    const { context, page } = await signIn(users.owner);
    const started = Date.now();
    await page.goto(`${stack.baseUrl}/console#/overview`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.locator('.plot canvas').first().waitFor();
    await page.waitForLoadState('networkidle');
    const loadMs = Date.now() - started;
    console.log(`console overview: charts drawn ${loadMs} ms after navigation (local stack, warm)`);
    const painted = await paintedPixels(page);
    // Orders and revenue, points and the referral funnel. Loyalty over time has one night so far: a point,
    // not a line, so its figures stand as totals with a note (and segment sizes are bars) until a second run.
    expect(painted.length).toBe(3);
    const loyalty = page.locator('figure.chart', { hasText: 'Loyalty over time' });
    expect(await loyalty.locator('table.data tbody tr').count()).toBe(1);
    expect(await loyalty.locator('canvas').count()).toBe(0);
    expect(await loyalty.textContent()).toContain('One day so far');
    for (const n of painted) expect(n).toBeGreaterThan(500);
    // The orders chart's numbers: the seeded orders, day by day.
    const stats = await stack.api('GET', `${shopPath()}/stats/daily`, { key: shop.apiKey });
    const orders = (stats.json.days as { orders: number }[]).reduce((s, d) => s + d.orders, 0);
    expect(orders).toBe(seq);
    const kpis = await page.locator('.kpi').allTextContents();
    expect(kpis.join(' ')).toMatch(/Members\D*1[34]/);
    await screenshot(page, 'console-e2e-overview');
    await page.setViewportSize({ width: 1280, height: 2600 });
    await screenshot(page, 'console-e2e-overview-full');
    for (const [hash, heading] of [
      ['#/segments', 'Segments'],
      ['#/emails', 'E-mails'],
      ['#/users', 'Users'],
      ['#/audit', 'Audit log'],
    ] as const) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(`${stack.baseUrl}/console${hash}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expect.poll(() => page.getByText('Loading…').count(), { timeout: 10_000 }).toBe(0);
      expect(await page.locator('.error, [role="alert"]').count()).toBe(0);
      await screenshot(page, `console-e2e-${hash.slice(2)}`);
    }
    await context.close();
  });

  it('a support user adjusts points with a reason, and the ledger shows it with the reason and who', async () => {
    const { context, page } = await signIn(users.support);
    const before = earned(await customer('c3@e2e.example'));
    await page.goto(`${stack.baseUrl}/console#/customers`);
    await page.getByLabel('E-mail or platform customer id').fill('c3@e2e.example');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('heading', { name: /c3@e2e\.example|C3/i })
      .first()
      .waitFor();
    await page.getByLabel('Points (negative to remove)').fill('75');
    await page.getByLabel('Reason (shown in the audit log)').fill('Broken mug on delivery');
    await page.getByRole('button', { name: 'Adjust points' }).click();
    await page.getByText('Broken mug on delivery').first().waitFor();
    await page.getByText(`user:${users.support}`).first().waitFor();
    expect(earned(await customer('c3@e2e.example'))).toBe(before + 75);
    await screenshot(page, 'console-e2e-customer');
    const audit = await stack.api('GET', `${shopPath()}/audit?action=points.adjusted`, { key: shop.apiKey });
    expect(audit.json.items[0]).toMatchObject({ actor: { email: users.support, role: 'support' } });
    await context.close();
  });

  it('a marketer approves a held referral and the referrer’s points appear; the program is not theirs', async () => {
    const { context, page } = await signIn(users.marketer);
    const before = earned(await customer('anna'));
    await page.goto(`${stack.baseUrl}/console#/referrals`);
    await page.getByRole('heading', { name: 'Referrals', level: 1 }).waitFor();
    const approve = page.getByRole('button', { name: /^Approve/ }).first();
    await approve.waitFor();
    expect(await page.locator('main').textContent()).toMatch(/address/i);
    await screenshot(page, 'console-e2e-referrals');
    await approve.click();
    await expect.poll(async () => earned(await customer('anna')), { timeout: 10_000 }).toBe(before + 500);

    // No program editor in a marketer's navigation, a refusal if they go there anyway, and 403 from the API.
    const nav = await page.getByRole('navigation').getByRole('link').allTextContents();
    expect(nav).not.toContain('Program');
    await page.goto(`${stack.baseUrl}/console#/program`);
    await page.getByText('Your role cannot do this').first().waitFor();
    const patch = await csrfFetch(page, 'PATCH', shopPath(), {
      program: { earning: { rate: { points: 99, per: 1 } } },
    });
    expect(patch.status).toBe(403);
    expect(patch.body.error.code).toBe('role_forbidden');
    expect((await stack.api('GET', shopPath(), { key: shop.apiKey })).json.shop.program.earning.rate.points).toBe(10);
    await context.close();
  });

  it('the owner changes the earning rate in the editor and the next webhook earns at the new rate', async () => {
    const { context, page } = await signIn(users.owner);
    await page.goto(`${stack.baseUrl}/console#/program`);
    const rate = page.getByLabel('Points', { exact: true });
    await rate.waitFor();
    expect(await rate.inputValue()).toBe('10');
    await rate.fill('20');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.locator('[data-view="program-diff"]').waitFor();
    await screenshot(page, 'console-e2e-program-diff');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        async () => (await stack.api('GET', shopPath(), { key: shop.apiKey })).json.shop.program.earning.rate.points,
      )
      .toBe(20);
    const audit = await stack.api('GET', `${shopPath()}/audit?action=program.updated`, { key: shop.apiKey });
    expect(audit.json.items[0]).toMatchObject({
      actor: { email: users.owner, role: 'owner' },
      diff: expect.arrayContaining([{ path: 'program.earning.rate.points', from: 10, to: 20 }]),
    });
    // Webhooks read the shop through a short cache; a new customer's order after it earns 20 per euro.
    await new Promise((r) => setTimeout(r, 5_500));
    await send({ customer: { id: 'newbie', email: 'newbie@e2e.example' }, total: '30.00', daysAgo: 0 });
    expect(earned(await customer('newbie'))).toBe(600);
    await page.goto(`${stack.baseUrl}/console#/audit`);
    // The entry's action (the filter's <option> of the same name is hidden).
    await page.locator('code', { hasText: 'program.updated' }).first().waitFor();
    await screenshot(page, 'console-e2e-audit-after');
    await context.close();
  });

  it('the owner adds a way to earn in the editor, and the customer page shows the activity it paid', async () => {
    const { context, page } = await signIn(users.owner);
    await page.goto(`${stack.baseUrl}/console#/program`);
    await page.getByRole('button', { name: 'Add way to earn' }).click();
    await page.getByLabel('Activity type').fill('review');
    await page.getByLabel('Points awarded').fill('40');
    await page.getByLabel('Limit', { exact: true }).selectOption('day');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.locator('[data-view="program-diff"]').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await stack.api('GET', shopPath(), { key: shop.apiKey })).json.shop.program.waysToEarn)
      .toEqual([{ type: 'review', points: 40, limit: 'day', enabled: true, tierMultiplier: false }]);
    // The admin API reads the shop through a short cache, as webhooks do.
    await new Promise((r) => setTimeout(r, 5_500));
    const posted = await stack.api('POST', `${shopPath()}/customers/c3%40e2e.example/activities`, {
      key: shop.apiKey,
      body: { id: 'e2e-review-1', type: 'review', occurredAt: new Date().toISOString() },
    });
    expect(posted.status, posted.text).toBe(201);
    await page.goto(`${stack.baseUrl}/console#/customers/c3%40e2e.example`);
    const timeline = page.locator('[data-view="activities"]');
    await timeline.waitFor();
    expect(await timeline.textContent()).toContain('review');
    expect(await timeline.textContent()).toContain('+40 points');
    await screenshot(page, 'console-e2e-activities');
    await context.close();
  });

  it('sign-out kills the session: its cookie is refused afterwards', async () => {
    const { context, page } = await signIn(users.support, { width: 360, height: 780 });
    await page.goto(`${stack.baseUrl}/console#/customers`);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await screenshot(page, 'console-e2e-customers-360');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'boomerang_console', httpOnly: true, sameSite: 'Strict' });
    const menu = page.getByRole('button', { name: 'Menu' });
    if (await menu.isVisible()) await menu.click();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const me = await fetch(`${stack.baseUrl}/console/auth/me`, {
      headers: { cookie: `${cookie!.name}=${cookie!.value}` },
    });
    expect(me.status).toBe(401);
    await context.close();
  });
});
