import { describe, expect, it } from 'vitest';
import { localDateHour, nightlyDueAsOf, previousDay } from '../../../shared/app/nightly/schedule';

const at = (iso: string) => new Date(iso);

describe('nightly schedule', () => {
  it("is due in the shop's local 02:xx hour, for the local previous day", () => {
    // Copenhagen in winter is UTC+1: 02:00 local is 01:00 UTC.
    expect(nightlyDueAsOf(at('2026-01-15T01:00:00Z'), 'Europe/Copenhagen')).toBe('2026-01-14');
    expect(nightlyDueAsOf(at('2026-01-15T00:00:00Z'), 'Europe/Copenhagen')).toBeUndefined();
    expect(nightlyDueAsOf(at('2026-01-15T02:00:00Z'), 'Europe/Copenhagen')).toBeUndefined();
    // Summer time, UTC+2.
    expect(nightlyDueAsOf(at('2026-07-15T00:00:00Z'), 'Europe/Copenhagen')).toBe('2026-07-14');
    expect(nightlyDueAsOf(at('2026-07-15T02:00:00Z'), 'UTC')).toBe('2026-07-14');
  });

  it('works west of UTC and with half-hour offsets', () => {
    // 02:00 in New York (EST, UTC−5) is 07:00 UTC.
    expect(nightlyDueAsOf(at('2026-01-15T07:00:00Z'), 'America/New_York')).toBe('2026-01-14');
    // 02:30 in Kolkata (UTC+5:30) is 21:00 UTC the day before.
    expect(nightlyDueAsOf(at('2026-01-14T21:00:00Z'), 'Asia/Kolkata')).toBe('2026-01-14');
    expect(localDateHour(at('2026-01-14T21:00:00Z'), 'Asia/Kolkata')).toEqual({ date: '2026-01-15', hour: 2 });
  });

  it('on the night clocks skip 02:xx, runs at 03:xx instead; on the night they repeat it, is due twice (the job id dedupes)', () => {
    // 2026-03-29 Copenhagen: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
    const spring = [0, 1, 2].map((h) => nightlyDueAsOf(at(`2026-03-29T0${h}:00:00Z`), 'Europe/Copenhagen'));
    expect(spring).toEqual([undefined, '2026-03-28', undefined]);
    // 2026-10-25 Copenhagen: 03:00 CEST becomes 02:00 CET at 01:00 UTC; 02:xx local at 00:00 and 01:00 UTC.
    const autumn = [23, 0, 1, 2].map((h) =>
      nightlyDueAsOf(at(h === 23 ? '2026-10-24T23:00:00Z' : `2026-10-25T0${h}:00:00Z`), 'Europe/Copenhagen'),
    );
    expect(autumn).toEqual([undefined, '2026-10-24', '2026-10-24', undefined]);
  });

  it('previousDay crosses months and years', () => {
    expect(previousDay('2026-03-01')).toBe('2026-02-28');
    expect(previousDay('2026-01-01')).toBe('2025-12-31');
  });
});
