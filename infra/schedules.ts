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
];
