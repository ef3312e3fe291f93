/**
 * When the scheduled nightly run is due for a shop. The schedule fires hourly (UTC); a shop is
 * due in the hour its own clock (shop.timezone) shows 02:xx, for the shop-local previous day —
 * the day that has just ended there. Counting still uses UTC calendar days (an order counts when
 * created before the end of `asOf` in UTC), so for shops far from UTC the last hours of a local
 * day are picked up the night after.
 *
 * Daylight saving: on the night a shop's clocks jump from 02:00 to 03:00 there is no 02:xx, so
 * the shop is also due at 03:xx when the hour before was 01:xx. On the night they fall back,
 * 02:xx comes twice; the run's job id is fixed per shop and day, so the second is skipped.
 */

const partsFormatter = new Map<string, Intl.DateTimeFormat>();

const formatter = (timeZone: string): Intl.DateTimeFormat => {
  let f = partsFormatter.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    partsFormatter.set(timeZone, f);
  }
  return f;
};

/** The shop's local calendar date (YYYY-MM-DD) and hour (0–23) at `at`. */
export const localDateHour = (at: Date, timeZone: string): { date: string; hour: number } => {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) % 24 };
};

export const previousDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

export const nightlyRunHour = 2;

/** The as-of day to run for a shop at `now`, or undefined when it is not the shop's run hour. */
export const nightlyDueAsOf = (now: Date, timeZone: string): string | undefined => {
  const { date, hour } = localDateHour(now, timeZone);
  if (hour === nightlyRunHour) return previousDay(date);
  if (
    hour === nightlyRunHour + 1 &&
    localDateHour(new Date(now.getTime() - 3600_000), timeZone).hour === nightlyRunHour - 1
  )
    return previousDay(date);
  return undefined;
};

/** The job id of a scheduled run: one per shop and day, so a repeated schedule fire starts nothing new. */
export const scheduledJobId = (asOf: string): string => `nightly-${asOf}`;
