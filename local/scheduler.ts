import type { ScheduleDefinition } from '../infra/schedules';
import { lambdaContext } from './gateway';
import { handlerLoaders } from './handlers';
import type { Logger } from '../shared/app/ports/logger';

/**
 * Fires the stack's schedules on a local timer. EventBridge Scheduler runs them at their
 * cron times in AWS; locally every job runs every `intervalMs` (jobs are idempotent for a
 * given "as of" date, so running them more often than daily is harmless). Runs never overlap.
 */
export const startSchedules = (
  schedules: readonly ScheduleDefinition[],
  intervalMs: number,
  logger: Logger,
  options: { quiet?: boolean } = {},
): (() => Promise<void>) => {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const fire = () => {
    if (stopped) return;
    running = running.then(async () => {
      for (const s of schedules) {
        if (stopped) return;
        try {
          const { handler } = await handlerLoaders[s.fn]();
          const result = await handler({ job: s.name }, lambdaContext(s.fn, 15 * 60_000));
          // A frequent job (the outbox sweep) logs only when it did something.
          const idle = options.quiet && Object.values((result ?? {}) as Record<string, unknown>).every((v) => v === 0);
          if (!idle) logger.info('schedule ran', { schedule: s.name, result: result as Record<string, unknown> });
        } catch (e) {
          logger.error('schedule failed', { schedule: s.name, error: e });
        }
      }
    });
  };
  const timer = setInterval(fire, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
};
