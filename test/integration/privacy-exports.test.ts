import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/keys';
import { handler as redactionsJob } from '../../functions/redactions/handler';
import { fixedClock } from '../../shared/adapters/clock';
import { runtime, setRuntime } from '../../shared/wiring/runtime';
import { runNightlyJob } from '../support/jobs';
import { customHeaders } from '../support/payloads';
import { startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { testDb } from '../support/db';

/** What redaction must reach beyond the ledger: NPS comments and nightly export files. */
let stack: TestStack;
let shop: CreatedShop;
beforeAll(async () => {
  stack = await startTestStack();
  shop = await stack.createShop({ platform: 'custom', currency: 'EUR' });
});
afterAll(async () => {
  await stack?.close();
});

const signed = (body: string) => ({ body, headers: customHeaders(body, shop.input.webhookSecret) });
const event = (id: string, type: string, data: unknown) =>
  JSON.stringify({ id, type, createdAt: '2026-03-01T12:00:00Z', data });

describe('privacy beyond the ledger', () => {
  it("customers/redact erases NPS comments; shop/redact deletes the shop's export files", async () => {
    for (const [i, day] of ['2026-01-05', '2026-02-05', '2026-03-01'].entries()) {
      const order = {
        id: `P-${i}`,
        currency: 'EUR',
        createdAt: `${day}T10:00:00Z`,
        customer: { id: 'pia', email: 'pia@example.com' },
        lines: [{ id: '1', quantity: 1, price: '40.00' }],
        total: '40.00',
      };
      expect(
        (await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, signed(event(`e-${i}`, 'order.paid', order))))
          .status,
      ).toBe(200);
    }
    const nps = await stack.api('POST', `/admin/shops/${shop.shop.id}/customers/pia/nps`, {
      key: shop.apiKey,
      body: { score: 3, comment: 'Pia from Aarhus was unhappy' },
    });
    expect(nps.status).toBe(201);
    const { job } = await runNightlyJob(stack.api, { shopId: shop.shop.id, key: shop.apiKey, asOf: '2026-03-31' });
    expect(job.status).toBe('succeeded');
    const exportsDir = join(process.env.BOOMERANG_DATA_DIR!, 'exports', 'exports', shop.shop.id);
    expect(existsSync(exportsDir)).toBe(true);

    expect(
      (
        await stack.api(
          'POST',
          `/webhooks/custom/${shop.shop.id}`,
          signed(event('r-1', 'customer.redact', { customerId: 'pia' })),
        )
      ).json.status,
    ).toBe('redacted');
    const answer = await testDb().send(
      new GetCommand({ TableName: stack.tableName, Key: keys.npsAnswer(shop.shop.id, 'i.pia', nps.json.nps.id) }),
    );
    expect(answer.Item).toMatchObject({ score: 3 });
    expect(answer.Item?.comment).toBeUndefined();

    expect(
      (await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, signed(event('s-1', 'shop.redact', {})))).json
        .status,
    ).toBe('shop_redaction_scheduled');
    // Two-step: the files stay until the scheduled deletion is due.
    expect(existsSync(exportsDir)).toBe(true);
    const rt = runtime();
    setRuntime({ ...rt, clock: fixedClock(new Date(Date.now() + 49 * 3600_000)) });
    try {
      expect(await redactionsJob({ job: 'redactions' })).toMatchObject({ shopsDeleted: 1 });
    } finally {
      setRuntime(rt);
    }
    expect(existsSync(exportsDir)).toBe(false);
  });
});
