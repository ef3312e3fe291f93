import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys';
import { runtime } from '../../shared/wiring/runtime';
import { shopCli } from '../support/cli';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';

/**
 * The loyalty metrics over time (docs/metrics.md) through the gateway: a nightly run writes the
 * day's metrics, `GET …/metrics` returns them as history, and `latest` also counts an answer
 * given after the run.
 */
let stack: TestStack;
let shop: CreatedShop;
let other: CreatedShop;
const today = new Date().toISOString().slice(0, 10);
const yesterday = new Date(Date.now() - 86_400_000).toISOString();

beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ currency: 'DKK', timezone: 'UTC' });
  other = await stack.createShop();
});
afterAll(() => stack?.close());

const order = (id: string, customer: string, total: string, productId: string) =>
  customOrderBody({
    id,
    customer: { id: customer, email: `${customer}@example.com` },
    total,
    createdAt: yesterday,
    data: { lines: [{ id: '1', productId, sku: productId.toUpperCase(), quantity: 1, price: total }] },
  });
const path = (p: string) => `/admin/shops/${shop.shop.id}${p}`;
const get = (p: string, key = shop.apiKey) => stack.api('GET', path(p), { key });
const nps = (ref: string, score: number) =>
  stack.api('POST', path(`/customers/${ref}/nps`), { key: shop.apiKey, body: { score } });
const cli = shopCli(
  'cli-metrics',
  () => stack,
  () => shop,
);
const runNightly = async () => {
  const r = await stack.api('POST', path('/jobs/nightly?wait=true'), { key: shop.apiKey, body: { asOf: today } });
  expect(r.status, r.text).toBe(200);
  return r.json;
};

describe('GET /admin/shops/{shopId}/metrics', () => {
  it('is empty before the first night', async () => {
    const r = await get('/metrics');
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ shopId: shop.shop.id, days: [], latest: null });
  });

  it('returns the nightly metrics as history, and latest counts answers given since the run', async () => {
    await sendCustomOrder(stack, shop, order('o1', 'ann', '100.00', 'p1'));
    await sendCustomOrder(stack, shop, order('o2', 'ann', '40.00', 'p2'));
    await sendCustomOrder(stack, shop, order('o3', 'bo', '60.00', 'p1'));
    expect((await nps('ann', 10)).status).toBeLessThan(300);
    expect((await nps('bo', 3)).status).toBeLessThan(300);
    // A survey's answer with the loyalty-index questions (the survey page stores it the same way).
    await runtime().nightly.putNpsAnswer(shop.shop.id, {
      cid: 'i.ann',
      answerId: 'survey-1',
      score: 9,
      buyAgain: 8,
      tryOther: 6,
      at: new Date().toISOString(),
      source: 'survey',
    });
    // Ann reviewed something today (what the ways to earn record).
    await runtime().table.update({
      TableName: runtime().tableName,
      Key: keys.customer(shop.shop.id, 'i.ann'),
      UpdateExpression: 'SET engagedDays = :d',
      ExpressionAttributeValues: { ':d': [today] },
    });
    await stack.drainStream();

    const job = await runNightly();
    // The export e-mail's figures are in the run's result too.
    expect(job.result.loyalty).toMatchObject({ asOf: today, engagementRate: 0.5 });

    const r = await get(`/metrics?from=${today}&to=${today}`);
    expect(r.status, r.text).toBe(200);
    expect(r.json.days).toHaveLength(1);
    const day = r.json.days[0];
    // Promoters 10 and 9, detractor 3: 100 × (2 − 1) / 3.
    expect(day.nps).toEqual({ score: 33.33, responses: 3, promoters: 2, passives: 0, detractors: 1 });
    // One complete answer: 10 × (9 + 8 + 6) / 3.
    expect(day.customerLoyaltyIndex).toEqual({ score: 76.67, responses: 1, answerSum: 23 });
    expect(day).toMatchObject({
      asOf: today,
      customers: 2,
      activeCustomers: 2,
      repeatPurchaseRate: 0.5, // Ann of Ann and Bo
      repeatRevenueShare: 0.7, // 140 of 200
      multiProductRate: 1, // Ann bought p1 and p2
      engagedCustomers: 1,
      engagementRate: 0.5,
      members: { customers: 0, revenueMinor: 0, averageSpendMinor: 0 },
      nonMembers: { customers: 2, revenueMinor: 20_000, averageSpendMinor: 10_000 },
    });
    const segmentCustomers = Object.values(day.bySegment as Record<string, { customers: number }>).reduce(
      (n, s) => n + s.customers,
      0,
    );
    expect(segmentCustomers).toBe(2);
    expect(r.json.latest).toMatchObject({ asOf: today, nps: day.nps, customerLoyaltyIndex: day.customerLoyaltyIndex });

    // After the run: Bo is now a promoter. The night's record keeps what it counted; latest adds it.
    expect((await nps('bo', 9)).status).toBeLessThan(300);
    const after = await get(`/metrics?from=${today}&to=${today}`);
    expect(after.json.days[0].nps).toEqual(day.nps);
    expect(after.json.latest.nps).toEqual({ score: 50, responses: 4, promoters: 3, passives: 0, detractors: 1 });
    expect(after.json.latest.customerLoyaltyIndex).toEqual(day.customerLoyaltyIndex);
    expect(Date.parse(after.json.latest.answersUntil)).toBeGreaterThan(Date.parse(day.answersUntil));

    // A second run for the same day replaces its record (one per day) and now counts Bo's new answer once.
    await runNightly();
    const again = await get(`/metrics?from=${today}&to=${today}`);
    expect(again.json.days).toHaveLength(1);
    expect(again.json.days[0].nps.responses).toBe(4);
    expect(again.json.days[0].customerLoyaltyIndex).toEqual(day.customerLoyaltyIndex);
    expect(again.json.days[0].engagedCustomers).toBe(1);
    expect(again.json.latest.nps.responses).toBe(4);
  });

  it('shows the history in the CLI', async () => {
    const human = await cli('metrics', '--from', today, '--to', today);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`${today}\\s+2\\s+50 \\(4\\)\\s+76\\.67 \\(1\\)\\s+50\\.0 %`));
    expect(human.stdout).toContain('latest (night of');
    const json = await cli('metrics', '--json');
    expect(json.json.days.map((d: { asOf: string }) => d.asOf)).toEqual([today]);
    expect((await cli('metrics', '--from', 'May')).code).toBe(2);
  });

  it('lists only the days in the range', async () => {
    const r = await get('/metrics?from=2020-01-01&to=2020-12-31');
    expect(r.status).toBe(200);
    expect(r.json.days).toEqual([]);
    // Latest is the newest night's whatever the range.
    expect(r.json.latest.asOf).toBe(today);
  });

  it.each([
    ['from after to', '?from=2026-02-01&to=2026-01-01'],
    ['more than 400 days', '?from=2024-01-01&to=2025-12-31'],
    ['not a date', '?from=yesterday'],
    ['an unknown parameter', '?days=7'],
  ])('refuses %s with 400', async (_name, query) => {
    const r = await get(`/metrics${query}`);
    expect(r.status, r.text).toBe(400);
    expect(r.json.error.code).toEqual(expect.any(String));
  });

  it("refuses another shop's key", async () => {
    const r = await get('/metrics', other.apiKey);
    expect([401, 403, 404]).toContain(r.status);
  });
});
