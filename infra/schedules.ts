/**
 * Scheduled jobs. In AWS each becomes an EventBridge Scheduler schedule invoking the
 * function with `{ "job": name }`; `npm start` fires the same functions on a local timer.
 * Every job takes an explicit "as of" date: the event may carry `asOf` (YYYY-MM-DD);
 * without one the handler uses the clock's current date.
 */
import type { FunctionName } from './routes';

export interface ScheduleDefinition {
  name: string;
  fn: FunctionName;
  /** EventBridge Scheduler expression, evaluated in `timezone`. */
  expression: string;
  timezone: string;
  description: string;
}

export const schedules: readonly ScheduleDefinition[] = [
  {
    name: 'ledger-daily',
    fn: 'ledger-daily',
    expression: 'cron(30 1 * * ? *)',
    timezone: 'UTC',
    description: 'Confirms points past their return window, expires inactive points, leaves expiry warnings',
  },
  {
    // Hourly in UTC: each shop runs in the hour its own clock (shop.timezone) shows 02:xx, as of
    // its previous local day (shared/app/nightly/schedule.ts).
    name: 'nightly',
    fn: 'nightly',
    expression: 'cron(0 * * * ? *)',
    timezone: 'UTC',
    description: 'Starts the nightly churn-segment run of every shop whose local time is 02:xx',
  },
  {
    // The stream sends new outbox items at once; the sweep retries what failed (SES down,
    // throttled) once its backoff is due, and picks up anything a crashed sender left.
    name: 'outbox-sweep',
    fn: 'outbox-sender',
    expression: 'rate(1 minute)',
    timezone: 'UTC',
    description: 'Sends due outbox e-mails: retries after backoff and items a crashed sender left',
  },
  {
    // The stream fans out and sends new outgoing webhook events at once; the sweep retries
    // deliveries whose backoff is due and picks up what a stopped sender left.
    name: 'webhook-sweep',
    fn: 'webhook-sender',
    expression: 'rate(1 minute)',
    timezone: 'UTC',
    description: 'Sends due outgoing webhook deliveries: retries after backoff and work a stopped sender left',
  },
  {
    // shop/redact marks a shop and schedules its deletion (48 h later by default); this carries
    // out the deletions that have fallen due and were not cancelled.
    name: 'redactions',
    fn: 'redactions',
    expression: 'rate(1 hour)',
    timezone: 'UTC',
    description: 'Deletes shops whose scheduled redaction is due',
  },
  {
    // Detractors and commented answers reach the shop's marketers within the hour (docs/surveys.md).
    name: 'feedback-alerts',
    fn: 'surveys',
    expression: 'rate(1 hour)',
    timezone: 'UTC',
    description: "E-mails each shop's marketers the survey and NPS answers that need a look",
  },
];
