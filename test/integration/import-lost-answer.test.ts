import { afterAll, beforeAll, expect, it } from 'vitest';
import { runImport, startImport, type ImportDeps } from '../../shared/app/import-service';
import { importDeps } from '../../shared/wiring/import-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { customOrderLine } from '../support/imports';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A transaction whose answer is lost: it commits, but the caller hears a conflict (an attempt that
 * timed out after committing, whose retry then met its own writes). Under a loaded CI machine this
 * is what made a fresh import report part of itself as `skipped`. The data must stay exact and the
 * counts must say every order was imported.
 */
let stack: TestStack;
beforeAll(async () => {
  // Thousands of writes and no statistics read: the stream feeds the summaries only (see TestStackOptions).
  stack = await startTestStack({ dailyStats: false });
});
afterAll(() => stack?.close());

/** Starts an order-history import of these custom-jsonl lines and runs it here, with these deps. */
const importHistory = async (deps: ImportDeps, shop: { id: string }, lines: string[]) => {
  const started = await startImport(
    deps,
    { start: async () => undefined },
    shop as never,
    { kind: 'orders', format: 'custom-jsonl', awardPoints: false, strict: false },
    Buffer.from(lines.join('\n')),
  );
  expect(started.ok).toBe(true);
  return runImport(deps, { shopId: shop.id, importId: started.ok ? started.value.importId : '' });
};

it('counts orders whose transaction committed unheard as imported, each once', async () => {
  const { shop } = await stack.createShop();
  const customers = 12;
  const orders = 60;
  const lines = Array.from({ length: orders }, (_, i) =>
    customOrderLine({
      orderId: `lost${i}`,
      customerId: `q${i % customers}`,
      at: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 3_600_000).toISOString(),
      amount: '20.00',
    }),
  );
  const base = importDeps(runtime());
  let lost = 0;
  const deps: ImportDeps = {
    ...base,
    chunkSize: 25,
    imports: {
      ...base.imports,
      // Every other transaction commits and then reports a conflict, as a lost answer would.
      async commitHistory(shopId, batches, program) {
        const out = await base.imports.commitHistory(shopId, batches, program);
        if (out === 'committed' && lost++ % 2 === 0) return 'conflict';
        return out;
      },
    },
  };
  const job = await importHistory(deps, shop, lines);
  expect(lost).toBeGreaterThan(1);
  expect(job).toMatchObject({ status: 'completed', imported: orders, skipped: 0, failed: 0 });
  expect(
    (
      await base.imports.getOrders(
        shop.id,
        lines.map((_, i) => `lost${i}`),
      )
    ).size,
  ).toBe(orders);
  for (let c = 0; c < customers; c++) {
    const customer = (await runtime().ledger.getCustomer(shop.id, `i.q${c}`))!;
    expect({ c, earnedOrders: customer.earnedOrders }).toEqual({ c, earnedOrders: orders / customers });
  }
});

it("retries a chunk after a transient error (a timeout past the adapter's own retries) and counts it once", async () => {
  const { shop } = await stack.createShop();
  const lines = Array.from({ length: 30 }, (_, i) =>
    customOrderLine({
      orderId: `slow${i}`,
      customerId: `s${i % 6}`,
      at: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 3_600_000).toISOString(),
      amount: '15.00',
    }),
  );
  const base = importDeps(runtime());
  let calls = 0;
  const deps: ImportDeps = {
    ...base,
    sleep: async () => undefined,
    imports: {
      ...base.imports,
      // The first transaction commits, and then its caller hears only a timeout.
      async commitHistory(shopId, batches, program) {
        const out = await base.imports.commitHistory(shopId, batches, program);
        if (calls++ === 0) throw Object.assign(new Error('No answer within 10000 ms'), { name: 'TimeoutError' });
        return out;
      },
    },
  };
  const job = await importHistory(deps, shop, lines);
  expect(job).toMatchObject({ status: 'completed', imported: 30, skipped: 0, failed: 0 });
  for (let c = 0; c < 6; c++) expect((await runtime().ledger.getCustomer(shop.id, `i.s${c}`))!.earnedOrders).toBe(5);
});
