import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../../local/demo';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * `npm run demo` (local/demo.ts) small, against the test stack: the shop, a simulated year of
 * signed webhooks, referrals with fraud attempts, redemptions, NPS and the nightly job, all
 * through the HTTP API.
 */
let stack: TestStack;
let demo: DemoResult;
const phases: string[] = [];
let ticks = 0;

beforeAll(async () => {
  // Thousands of writes and no statistics read: the stream feeds the summaries only (see TestStackOptions).
  stack = await startTestStack({ dailyStats: false });
  demo = await runDemo({
    baseUrl: stack.baseUrl,
    operatorKey: stack.operatorKey,
    customers: 40,
    seed: 7,
    progress: { phase: (name) => phases.push(name), tick: () => ticks++ },
  });
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

describe('npm run demo', () => {
  it('creates a custom-platform shop with a program the operator can read', async () => {
    const res = await stack.api('GET', `/admin/shops/${demo.shopId}`, { key: stack.operatorKey });
    expect(res.status).toBe(200);
    expect(res.json.shop).toMatchObject({
      id: demo.shopId,
      name: 'Demo Roastery',
      platform: 'custom',
      currency: 'EUR',
    });
    expect(res.json.shop.marketerEmails).toContain(demo.marketerEmail);
    expect(demo.apiKey).toMatch(/^bk_/);
    const users = await stack.api('GET', `/admin/shops/${demo.shopId}/users`, { key: demo.apiKey });
    expect(users.json.items.map((u: { email: string; role: string }) => `${u.role}:${u.email}`).sort()).toEqual(
      demo.consoleUsers.map((u) => `${u.role}:${u.email}`).sort(),
    );
    expect(demo.consoleUsers.map((u) => u.role).sort()).toEqual(['marketer', 'owner', 'support']);
  });

  it('imports the year’s history in bulk and sends the last weeks as signed webhooks, all accepted', () => {
    expect(demo.history).toMatchObject({ failed: 0, skipped: 0 });
    expect(demo.history.imported).toBe(demo.history.events);
    expect(demo.history.events).toBeGreaterThan(demo.webhooks.sent / 2);
    expect(demo.webhooks.sent).toBeGreaterThan(0);
    expect(demo.webhooks.firstErrors).toEqual([]);
    expect(demo.webhooks.refused).toBe(0);
    expect(demo.orders.sent).toBeGreaterThan(demo.customers);
    expect(demo.orders.accepted).toBe(demo.orders.sent);
    expect(demo.orders.refunded + demo.orders.cancelled).toBeGreaterThan(0);
    expect(demo.webhooks.accepted + demo.history.imported).toBe(
      demo.orders.sent + demo.orders.refunded + demo.orders.cancelled,
    );
  });

  it('refers friends and catches the fraud attempts', () => {
    expect(demo.referrals.codes).toBeGreaterThanOrEqual(2);
    expect(demo.referrals.referred).toBeGreaterThanOrEqual(1);
    expect(demo.referrals.referred).toBeLessThanOrEqual(demo.referrals.friends);
    expect(demo.referrals.held + demo.referrals.rejected).toBeGreaterThanOrEqual(1);
    expect(demo.referrals.held + demo.referrals.rejected).toBeLessThanOrEqual(demo.referrals.fraudAttempts);
  });

  it('redeems points and stores NPS answers', async () => {
    expect(demo.redemptions).toBeGreaterThanOrEqual(1);
    expect(demo.npsAnswers).toBeGreaterThanOrEqual(1);
    // Answers are dated now, after the demo's run for yesterday: a run as of today counts them all.
    expect(demo.nightly.result?.metrics?.nps?.responses).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const run = await stack.api('POST', `/admin/shops/${demo.shopId}/jobs/nightly?wait=true`, {
      key: demo.apiKey,
      body: { asOf: today },
    });
    expect(run.status).toBe(200);
    expect(run.json.result.metrics.nps.responses).toBe(demo.npsAnswers);
    const c = await stack.api('GET', `/admin/shops/${demo.shopId}/customers/${demo.showcaseCustomerId}`, {
      key: demo.apiKey,
    });
    expect(c.status).toBe(200);
    expect(c.json.points.lifetimeEarned).toBeGreaterThan(c.json.points.balance);
  });

  it('rewards activities beyond purchases and sells the paid VIP Club', async () => {
    expect(demo.activities.posted).toBeGreaterThanOrEqual(1);
    expect(demo.activities.awarded).toBeGreaterThanOrEqual(1);
    expect(demo.activities.awarded).toBeLessThanOrEqual(demo.activities.posted);
    expect(demo.members).toBeGreaterThanOrEqual(1);
    expect(demo.exclusiveRedemptions).toBeLessThanOrEqual(Math.min(25, demo.members));
    const program = await stack.api('GET', `/storefront/${demo.shopId}/program`);
    expect(program.json.waysToEarn.map((w: { type: string }) => w.type)).toContain('review');
    expect(program.json.membership.plans.map((p: { name: string }) => p.name)).toEqual(['VIP Club']);
  });

  it('runs the nightly job for yesterday: succeeded, every buyer in a segment', () => {
    expect(demo.nightly.status).toBe('succeeded');
    const result = demo.nightly.result!;
    const segmented = Object.values(result.segments ?? {}).reduce((s, n) => s + n, 0);
    expect(result.metrics?.buyers).toBe(demo.buyers);
    expect(segmented).toBe(demo.buyers);
    expect(result.export?.csv?.url).toContain(stack.baseUrl);
  });

  it('reports progress by phase', () => {
    expect(phases).toEqual([
      'history import',
      'the last weeks',
      'referrals',
      'referred friends',
      'redemptions and NPS',
      'engagement and membership',
      'nightly job',
    ]);
    expect(ticks).toBeGreaterThan(demo.webhooks.sent);
    // Time is a figure, not an assertion (a loaded CI machine is slower): printed for the record.
    console.log(`demo: ${demo.customers} customers in ${demo.seconds.toFixed(1)} s`);
  });

  it('tells the same story again with the same seed', async () => {
    const again = await runDemo({ baseUrl: stack.baseUrl, operatorKey: stack.operatorKey, customers: 40, seed: 7 });
    expect(again.shopId).not.toBe(demo.shopId);
    const story = (d: typeof demo) => ({
      ...d.orders,
      buyers: d.buyers,
      nps: d.npsAnswers,
      activities: d.activities,
      members: d.members,
    });
    expect(story(again)).toEqual(story(demo));
  }, 60_000);
});
