import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startImport } from '../../shared/app/import-service';
import { importDeps } from '../../shared/wiring/import-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { customOrderLine, waitForImport } from '../support/imports';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Exactly once across a crash: a worker process is killed (SIGKILL) in the middle of an order
 * history import with points, the import is resumed through the API, and every order and every
 * point is there exactly once.
 */
let stack: TestStack;
beforeAll(async () => {
  // Thousands of writes and no statistics read: the stream feeds the summaries only (see TestStackOptions).
  stack = await startTestStack({ dailyStats: false });
});
afterAll(() => stack?.close());

it(
  'resumes after the worker is killed mid-file: every order and point exactly once',
  { timeout: 300_000 },
  async () => {
    const { shop, apiKey } = await stack.createShop();
    const customers = 40;
    const orders = 400;
    const expected = new Map<string, number>();
    const lines: string[] = [];
    for (let i = 0; i < orders; i++) {
      const c = `k${i % customers}`;
      const amount = 10 + (i % 17);
      expected.set(c, (expected.get(c) ?? 0) + amount);
      const at = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString();
      lines.push(customOrderLine({ orderId: `r${i}`, customerId: c, at, amount: `${amount}.00` }));
    }
    const deps = importDeps(runtime());
    const started = await startImport(
      deps,
      { start: async () => undefined },
      shop as never,
      { kind: 'orders', format: 'custom-jsonl', awardPoints: true, strict: false },
      Buffer.from(lines.join('\n')),
    );
    expect(started.ok).toBe(true);
    const importId = started.ok ? started.value.importId : '';

    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '../support/import-run-process.ts'), shop.id, importId],
      { env: process.env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      worker.on('exit', (_code, signal) => resolve(signal)),
    );
    // Kill it once it has committed part of the file, but not all of it.
    for (;;) {
      const job = (await deps.imports.get(shop.id, importId))!;
      if (job.checkpoint > 0) break;
      if (job.status === 'completed') throw new Error('the worker finished before it could be killed');
      await new Promise((r) => setTimeout(r, 10));
    }
    worker.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killed = (await deps.imports.get(shop.id, importId))!;
    expect(killed.status).toBe('running');
    expect(killed.checkpoint).toBeGreaterThan(0);
    expect(killed.checkpoint).toBeLessThan(orders);

    // While its lease lasts the dead run still holds the job; then it may be taken over.
    const path = `/admin/shops/${shop.id}/imports/${importId}/resume`;
    let resumed = await stack.api('POST', path, { key: apiKey });
    while (resumed.status === 409 && resumed.json.error.code === 'import_running') {
      await new Promise((r) => setTimeout(r, 200));
      resumed = await stack.api('POST', path, { key: apiKey });
    }
    expect(resumed.status, resumed.text).toBe(202);
    const done = (await waitForImport(stack.api, apiKey, shop.id, importId)).json;
    expect(done, JSON.stringify(done.error)).toMatchObject({ status: 'completed', failed: 0, attempts: 2 });
    expect(done.imported + done.skipped).toBeGreaterThanOrEqual(orders);

    const stored = await deps.imports.getOrders(
      shop.id,
      lines.map((_, i) => `r${i}`),
    );
    expect(stored.size).toBe(orders);
    for (const [cid, points] of expected) {
      const c = (await runtime().ledger.getCustomer(shop.id, `i.${cid}`))!;
      expect({ cid, points: c.points.available + c.points.pending }).toEqual({ cid, points });
      expect(c.earnedOrders).toBe(orders / customers);
      const { entries } = await runtime().ledger.listEntries(shop.id, `i.${cid}`, { limit: 100 });
      // An earn and a confirm entry per order (the orders' return windows are long over).
      expect(entries).toHaveLength((2 * orders) / customers);
    }
    expect((await stack.api('POST', path, { key: apiKey })).status).toBe(409);
  },
);
