import { describe, expect, it } from 'vitest';
import { decideLimit, keptPeriods, periodKey, withEngagedDay } from '../../../shared/domain/engagement/limits';
import { birthdayAfter, birthdayIn, localDayStart } from '../../../shared/domain/engagement/birthday';

describe('periodKey', () => {
  it("counts days, months and years in the shop's time zone", () => {
    // 23:30 UTC on 31 December is already 1 January in Copenhagen (UTC+1) but not in New York.
    const at = '2026-12-31T23:30:00.000Z';
    expect(periodKey('day', at, 'Europe/Copenhagen')).toBe('2027-01-01');
    expect(periodKey('month', at, 'Europe/Copenhagen')).toBe('2027-01');
    expect(periodKey('year', at, 'Europe/Copenhagen')).toBe('2027');
    expect(periodKey('day', at, 'America/New_York')).toBe('2026-12-31');
    expect(periodKey('year', at, 'America/New_York')).toBe('2026');
    expect(periodKey('once', at, 'UTC')).toBe('once');
    expect(periodKey('unlimited', at, 'UTC')).toBeUndefined();
  });

  it('follows daylight saving time', () => {
    // Copenhagen is UTC+2 in summer: 22:30 UTC on 30 June is 00:30 on 1 July.
    expect(periodKey('month', '2026-06-30T22:30:00.000Z', 'Europe/Copenhagen')).toBe('2026-07');
    // …and UTC+1 in winter: 22:30 UTC on 30 November is still 23:30 on the 30th.
    expect(periodKey('month', '2026-11-30T22:30:00.000Z', 'Europe/Copenhagen')).toBe('2026-11');
    // The night clocks go back (25 October 2026) is one day of 25 hours.
    expect(periodKey('day', '2026-10-24T22:30:00.000Z', 'Europe/Copenhagen')).toBe('2026-10-25');
    expect(periodKey('day', '2026-10-25T22:30:00.000Z', 'Europe/Copenhagen')).toBe('2026-10-25');
  });
});

describe('decideLimit', () => {
  it('awards a new period once and keeps the periods sorted', () => {
    const first = decideLimit(undefined, '2026-12-05');
    expect(first).toEqual({ award: true, awarded: ['2026-12-05'] });
    expect(decideLimit(['2026-12-05'], '2026-12-05')).toEqual({ award: false });
    expect(decideLimit(['2026-12-05'], '2026-12-04')).toEqual({ award: true, awarded: ['2026-12-04', '2026-12-05'] });
    expect(decideLimit(['2026-12-05'], undefined)).toEqual({ award: true, awarded: ['2026-12-05'] });
  });

  it('prunes to the newest periods and refuses one older than all it kept', () => {
    const days = Array.from({ length: keptPeriods }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
    const newer = decideLimit(days, '2026-11-30');
    expect(newer.award && newer.awarded).toEqual([...days.slice(1), '2026-11-30']);
    // Older than every kept period: it may have been paid and forgotten, so it is not paid again.
    expect(decideLimit(days, '2026-10-31')).toEqual({ award: false });
    // Fewer than the kept number: nothing was forgotten, so an old period still pays.
    expect(decideLimit(days.slice(0, 3), '2026-10-31')).toMatchObject({ award: true });
  });
});

describe('withEngagedDay', () => {
  it('keeps unique days, newest last, at most 30', () => {
    const days = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
    expect(withEngagedDay(days, '2026-11-30')).toEqual(days);
    expect(withEngagedDay(days, '2026-12-01')).toEqual([...days.slice(1), '2026-12-01']);
  });
});

describe('birthday calendar', () => {
  it('moves 29 February to the 28th outside leap years', () => {
    expect(birthdayIn('02-29', 2028)).toBe('2028-02-29');
    expect(birthdayIn('02-29', 2027)).toBe('2027-02-28');
    expect(birthdayIn('02-29', 2100)).toBe('2100-02-28');
    expect(birthdayIn('02-29', 2000)).toBe('2000-02-29');
  });

  it('finds the next birthday strictly after a day, across the year end', () => {
    expect(birthdayAfter('12-24', '2026-12-05')).toBe('2026-12-24');
    expect(birthdayAfter('12-05', '2026-12-05')).toBe('2027-12-05');
    expect(birthdayAfter('01-02', '2026-12-31')).toBe('2027-01-02');
    expect(birthdayAfter('02-29', '2027-03-01')).toBe('2028-02-29');
  });

  it("finds the instant a day starts in the shop's zone, DST and far zones included", () => {
    expect(localDayStart('2026-12-24', 'Europe/Copenhagen')).toBe('2026-12-23T23:00:00.000Z');
    expect(localDayStart('2026-07-01', 'Europe/Copenhagen')).toBe('2026-06-30T22:00:00.000Z');
    expect(localDayStart('2026-07-01', 'UTC')).toBe('2026-07-01T00:00:00.000Z');
    expect(localDayStart('2026-07-01', 'Pacific/Kiritimati')).toBe('2026-06-30T10:00:00.000Z');
    expect(localDayStart('2026-07-01', 'Pacific/Pago_Pago')).toBe('2026-07-01T11:00:00.000Z');
    expect(localDayStart('2026-07-01', 'Asia/Kolkata')).toBe('2026-06-30T18:30:00.000Z');
    expect(localDayStart('2026-07-01', 'Asia/Kathmandu')).toBe('2026-06-30T18:15:00.000Z');
  });
});
