import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { recordActivity } from '../../../shared/app/activity-service';
import { runDaily } from '../../../shared/app/ledger-service';
import { planBirthday } from '../../../shared/domain/engagement/birthday-plan';
import { newCustomer, wakeAt } from '../../../shared/domain/ledger/customer';
import type { Shop } from '../../../shared/domain/shop';
import { programSchema } from '../../../shared/schemas/program';
import { memoryLedgerStore } from '../../support/memory-ledger-store';
import { testRetryDeps } from '../../support/deterministic';

const shop = {
  id: 's',
  platform: 'custom',
  currency: 'DKK',
  timezone: 'Europe/Copenhagen',
  program: programSchema.parse({ waysToEarn: [{ type: 'birthday', points: 200, limit: 'year' }] }),
  status: 'active',
  version: 1,
} as Shop;

const setup = (now: string) => {
  const mem = memoryLedgerStore();
  mem.customers.set('s|i.7', { ...newCustomer('i.7', '2026-01-01T00:00:00.000Z'), version: 1 });
  let n = 0;
  const deps = (at: string) => ({
    store: mem.store,
    clock: fixedClock(at),
    newId: () => `E${String(++n).padStart(4, '0')}`,
    ...testRetryDeps(),
  });
  return { mem, deps, setAt: now };
};

describe('birthdays', () => {
  it('stores the date without paying, then pays once on the day in the shop zone, and again a year on', async () => {
    const t = setup('2026-12-05T12:00:00.000Z');
    const set = await recordActivity(t.deps('2026-12-05T12:00:00.000Z'), shop, {
      customerRef: '7',
      activity: {
        id: 'bd',
        type: 'birthday',
        occurredAt: '2026-12-05T12:00:00.000Z',
        source: 'api',
        properties: { date: '12-24' },
      },
    });
    expect(set).toMatchObject({ ok: true, value: { status: 200, body: { activity: { reason: 'scheduled' } } } });
    let c = t.mem.customers.get('s|i.7')!;
    expect(c).toMatchObject({ birthday: '12-24', birthdayNext: '2026-12-24', points: { available: 0 } });
    // Woken at the earliest instant the 24th starts anywhere (UTC+14).
    expect(wakeAt(c, shop.program)).toBe('2026-12-23T10:00:00.000Z');

    // The evening before (22:00 UTC on the 23rd is 23:00 in Copenhagen): not yet.
    await runDaily(t.deps('2026-12-23T22:00:00.000Z'), shop, '2026-12-23');
    expect(t.mem.customers.get('s|i.7')!.points.available).toBe(0);
    // 23:30 UTC on the 23rd is 00:30 on the 24th in Copenhagen: paid, and a second run pays nothing.
    const first = await runDaily(t.deps('2026-12-23T23:30:00.000Z'), shop, '2026-12-24');
    const second = await runDaily(t.deps('2026-12-24T20:00:00.000Z'), shop, '2026-12-24');
    expect(first.birthdays).toBe(1);
    expect(second.birthdays).toBe(0);
    c = t.mem.customers.get('s|i.7')!;
    expect(c).toMatchObject({ points: { available: 200 }, birthdayNext: '2027-12-24' });
    expect(t.mem.entries.get('s|i.7')!.map((e) => e.cause)).toEqual(['activity:birthday:i.7:2026']);
    const act = t.mem.activities.get('s|i.7')!.at(-1)!;
    expect(act).toMatchObject({ id: 'birthday:i.7:2026', occurredAt: '2026-12-23T23:00:00.000Z', source: 'system' });
    // The system's record is not the customer's engagement; setting the date was.
    expect(c.engagedDays).toEqual(['2026-12-05']);

    await runDaily(t.deps('2027-12-24T08:00:00.000Z'), shop, '2027-12-24');
    expect(t.mem.customers.get('s|i.7')!.points.available).toBe(400);
  });

  it('lets a birthday found days late go without paying, and pays nothing while the shop does not offer it', () => {
    const c = {
      ...newCustomer('i.7', '2026-01-01T00:00:00.000Z'),
      birthday: '02-29',
      birthdayNext: '2027-02-28',
      version: 3,
    };
    const at = (cutoff: string) => ({ cutoff, now: cutoff, entryId: 'E1', timeZone: 'UTC' });
    const late = planBirthday(c, shop.program, at('2027-03-03T00:00:00.000Z'));
    expect(late?.customer?.next).toMatchObject({ birthdayNext: '2028-02-29', points: { available: 0 } });
    expect(late?.activity).toBeUndefined();
    const onTime = planBirthday(c, shop.program, at('2027-02-28T06:00:00.000Z'));
    expect(onTime?.activity).toMatchObject({ id: 'birthday:i.7:2027', status: 'awarded', points: 200 });
    const off = programSchema.parse({ waysToEarn: [{ type: 'birthday', points: 200, enabled: false }] });
    expect(planBirthday(c, off, at('2027-02-28T06:00:00.000Z'))).toBeUndefined();
    expect(wakeAt(c, off)).toBeUndefined();
  });
});
