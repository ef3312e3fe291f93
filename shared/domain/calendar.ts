/**
 * UTC calendar arithmetic (tier dates, point expiry). Instants are compared as numbers, never as strings:
 * callers pass ISO strings with and without milliseconds, and "…:00Z" sorts after "…:00.000Z".
 */
const dayMs = 86_400_000;

export const toMs = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not an ISO instant`);
  return ms;
};

export const isBefore = (a: string, b: string): boolean => toMs(a) < toMs(b);

export const later = (a: string, b: string): string => (toMs(b) > toMs(a) ? b : a);

export const addDays = (iso: string, days: number): string => new Date(toMs(iso) + days * dayMs).toISOString();

/**
 * Calendar months; the day is clamped to the target month's end (31 Jan + 1 month = 28/29 Feb).
 * In `timeZone` (default UTC) the months are counted on that zone's calendar and wall clock:
 * 1 March 00:30 in Copenhagen + 1 month is 1 April 00:30 there, whatever the UTC date or DST.
 */
export const addMonths = (iso: string, months: number, timeZone = 'UTC'): string => {
  const ms = toMs(iso);
  if (timeZone === 'UTC') return new Date(addWallMonths(ms, months)).toISOString();
  const wall = ms + offsetMs(ms, timeZone);
  const target = addWallMonths(wall, months);
  // The wall time back to an instant: the zone's offset there (twice, for a DST change in between).
  let at = target - offsetMs(target, timeZone);
  at = target - offsetMs(at, timeZone);
  return new Date(at).toISOString();
};

/** `months` calendar months added to a time read as UTC fields, the day clamped to the month's end. */
const addWallMonths = (ms: number, months: number): number => {
  const d = new Date(ms);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.getTime();
};

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `ms` (negative west of UTC). */
const offsetMs = (ms: number, timeZone: string): number => {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormatters.set(timeZone, f);
  }
  const part = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - (ms - (((ms % 1000) + 1000) % 1000));
};

export const utcYear = (iso: string): number => new Date(toMs(iso)).getUTCFullYear();

/** 1 January 00:00Z of `year`. */
export const startOfYear = (year: number): string => {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.toISOString();
};

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (yyyy-mm-dd) an instant falls on in a time zone. */
export const localDay = (iso: string, timeZone: string): string => {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
};
