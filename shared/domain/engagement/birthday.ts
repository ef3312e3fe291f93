import type { CustomerRecord } from '../ledger/customer';
import { localDay } from '../calendar';

/**
 * Birthdays (docs/engagement.md): the customer or the shop stores "MM-DD"; storing pays nothing.
 * The calendar of it is here; the daily job's award is birthday-plan.ts.
 */

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The birthday's date in `year` ("yyyy-mm-dd"); 29 February falls on the 28th in other years. */
export const birthdayIn = (birthday: string, year: number): string => {
  const md = birthday === '02-29' && !isLeap(year) ? '02-28' : birthday;
  return `${String(year).padStart(4, '0')}-${md}`;
};

/** The first birthday strictly after the calendar day `day` ("yyyy-mm-dd"). */
export const birthdayAfter = (birthday: string, day: string): string => {
  const year = Number(day.slice(0, 4));
  const thisYear = birthdayIn(birthday, year);
  return thisYear > day ? thisYear : birthdayIn(birthday, year + 1);
};

const quarterHourMs = 15 * 60_000;

/**
 * The instant the calendar day `day` starts in `timeZone` (its first quarter hour: every zone's
 * offset and DST jump is a multiple of 15 minutes). Found by bisection over the ±14 h any zone
 * can be from UTC, since `localDay` only moves forward with time.
 */
export const localDayStart = (day: string, timeZone: string): string => {
  const utcMidnight = Date.parse(`${day}T00:00:00.000Z`);
  // One quarter before the earliest start (UTC+14), so the day has surely not begun at lo.
  let lo = (utcMidnight - 14 * 3_600_000) / quarterHourMs - 1;
  let hi = (utcMidnight + 14 * 3_600_000) / quarterHourMs;
  // Invariant: the day has not started at lo and has started at hi.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localDay(new Date(mid * quarterHourMs).toISOString(), timeZone) >= day) hi = mid;
    else lo = mid;
  }
  return new Date(hi * quarterHourMs).toISOString();
};

/** The customer with a (new) birthday: the next one paid is the first after today. */
export const withBirthday = (c: CustomerRecord, birthday: string, now: string, timeZone: string): CustomerRecord => ({
  ...c,
  birthday,
  birthdayNext: birthdayAfter(birthday, localDay(now, timeZone)),
});
