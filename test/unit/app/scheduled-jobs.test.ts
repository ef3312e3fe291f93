import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { runScheduledDaily } from '../../../shared/app/daily-job-service';
import { runScheduledRedactions } from '../../../shared/app/redaction-service';
import type { Redaction } from '../../../shared/domain/privacy/redaction';
import type { Shop } from '../../../shared/domain/shop';
import { defaultProgram } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

describe('runScheduledRedactions', () => {
  it('runs as of a past instant when asked, but never as of one still to come', async () => {
    const asked: string[] = [];
    const deps = {
      clock: fixedClock('2026-05-01T12:00:00.000Z'),
      redactions: {
        due: async (asOf: Date) => {
          asked.push(asOf.toISOString());
          return [] as Redaction[];
        },
      },
      shops: { get: async () => undefined, replace: async () => true },
      deleteEverything: async () => 0,
    } as unknown as Parameters<typeof runScheduledRedactions>[0];
    expect((await runScheduledRedactions(deps, '2026-04-30T00:00:00Z')).asOf.toISOString()).toBe(
      '2026-04-30T00:00:00.000Z',
    );
    expect((await runScheduledRedactions(deps, '2026-06-01T00:00:00Z')).asOf.toISOString()).toBe(
      '2026-05-01T12:00:00.000Z',
    );
    expect((await runScheduledRedactions(deps)).done).toEqual([]);
    expect(asked).toEqual(['2026-04-30T00:00:00.000Z', '2026-05-01T12:00:00.000Z', '2026-05-01T12:00:00.000Z']);
  });
});

describe('runScheduledDaily', () => {
  it('defaults to today (UTC) by its clock and totals the shops it ran', async () => {
    const shop = { id: 's', currency: 'EUR', program: defaultProgram(), status: 'active', version: 1 } as Shop;
    const ledger = {
      store: memoryLedgerStore().store,
      clock: fixedClock('2026-05-01T23:30:00Z'),
      newId: () => 'E1',
      ...testRetryDeps(),
    };
    const shops = {
      get: async (id: string) => (id === 's' ? shop : undefined),
      async *listShopIds() {
        /* every run here names its shop */
      },
    };
    expect(await runScheduledDaily({ ledger, shops }, { shopId: 's' })).toEqual({
      asOf: '2026-05-01',
      shops: 1,
      confirmed: 0,
      expired: 0,
      warned: 0,
    });
    expect(await runScheduledDaily({ ledger, shops }, { asOf: '2026-04-02', shopId: 'gone' })).toEqual({
      asOf: '2026-04-02',
      shops: 0,
      confirmed: 0,
      expired: 0,
      warned: 0,
    });
  });
});
