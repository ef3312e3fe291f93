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

/** Calendar months; the day is clamped to the target month's end (31 Jan + 1 month = 28/29 Feb). */
export const addMonths = (iso: string, months: number): string => {
  const d = new Date(toMs(iso));
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d.toISOString();
};

export const utcYear = (iso: string): number => new Date(toMs(iso)).getUTCFullYear();

/** 1 January 00:00Z of `year`. */
export const startOfYear = (year: number): string => {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.toISOString();
};
