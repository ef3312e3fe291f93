import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { recordActivity } from '../../../shared/app/activity-service';
import { newCustomer } from '../../../shared/domain/ledger/customer';
import type { Shop } from '../../../shared/domain/shop';
import { programSchema } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

const shop = {
  id: 's',
  platform: 'custom',
  currency: 'EUR',
  timezone: 'Europe/Copenhagen',
  program: programSchema.parse({
    waysToEarn: [
      { type: 'review', points: 50, limit: 'day' },
      { type: 'newsletter', points: 100 },
      { type: 'social_follow:instagram', points: 20, enabled: false },
    ],
  }),
  status: 'active',
  version: 1,
} as Shop;

const setup = () => {
  const mem = memoryLedgerStore();
  const at = '2026-12-05T12:00:00.000Z';
  mem.customers.set('s|i.7', { ...newCustomer('i.7', at), version: 1 });
  let n = 0;
  const deps = {
    store: mem.store,
    clock: fixedClock(at),
    newId: () => `ID${++n}`,
    ...testRetryDeps(),
    random: () => 0,
  };
  return { mem, deps };
};

const activity = (id: string, type: string, occurredAt = '2026-12-05T10:00:00.000Z') => ({
  customerRef: '7',
  activity: { id, type, occurredAt, source: 'api' as const },
});

describe('recordActivity', () => {
  it('awards within the limit, once per id, and records the rest with a reason', async () => {
    const t = setup();
    const first = await recordActivity(t.deps, shop, activity('a1', 'review'));
    expect(first).toMatchObject({ ok: true, value: { status: 201, body: { points: { balance: 50 } } } });
    const replay = await recordActivity(t.deps, shop, activity('a1', 'review'));
    expect(replay).toMatchObject({ ok: true, value: { status: 201, replayed: true } });
    // 23:30 UTC on the 4th is 00:30 on the 5th in Copenhagen: the day already awarded.
    const sameDay = await recordActivity(t.deps, shop, activity('a2', 'review', '2026-12-04T23:30:00.000Z'));
    expect(sameDay).toMatchObject({
      ok: true,
      value: { status: 200, body: { activity: { status: 'not_awarded', reason: 'limit_reached' } } },
    });
    // A late delivery of the day before lands in its own day.
    const earlier = await recordActivity(t.deps, shop, activity('a3', 'review', '2026-12-04T12:00:00.000Z'));
    expect(earlier).toMatchObject({ ok: true, value: { status: 201, body: { points: { balance: 100 } } } });
    const again = await recordActivity(t.deps, shop, activity('a4', 'review', '2026-12-04T13:00:00.000Z'));
    expect(again).toMatchObject({ ok: true, value: { status: 200 } });
    const off = await recordActivity(t.deps, shop, activity('a5', 'social_follow:instagram'));
    expect(off).toMatchObject({ ok: true, value: { body: { activity: { reason: 'disabled' } } } });
    const unknown = await recordActivity(t.deps, shop, activity('a6', 'wrote_poem'));
    expect(unknown).toMatchObject({ ok: true, value: { body: { activity: { reason: 'not_configured' } } } });
    const reused = await recordActivity(t.deps, shop, activity('a1', 'newsletter'));
    expect(reused).toEqual({ ok: false, error: { kind: 'idempotency_key_reused' } });
    const c = t.mem.customers.get('s|i.7')!;
    expect(c.points.available).toBe(100);
    expect(c.activityAwards).toEqual({ review: ['2026-12-04', '2026-12-05'] });
    expect(c.engagedDays).toEqual(['2026-12-04', '2026-12-05']);
    expect(t.mem.entries.get('s|i.7')!.map((e) => e.cause)).toEqual(['activity:a1', 'activity:a3']);
    expect(t.mem.activities.get('s|i.7')!.map((a) => a.id)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'a6']);
  });

  it('refuses an activity from the future and an unknown customer', async () => {
    const t = setup();
    expect(await recordActivity(t.deps, shop, activity('f', 'review', '2026-12-06T12:00:00.000Z'))).toMatchObject({
      ok: false,
      error: { kind: 'occurred_in_future' },
    });
    expect(await recordActivity(t.deps, shop, { ...activity('g', 'review'), customerRef: 'nobody' })).toEqual({
      ok: false,
      error: { kind: 'customer_not_found' },
    });
  });
});
