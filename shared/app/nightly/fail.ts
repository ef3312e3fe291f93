import type { JobError, NightlyDeps } from '../ports/nightly';
import type { StepInput } from './summarise';

const maxMessage = 1000;

/**
 * The error a failed run records, from whatever reached the fail step: a thrown Error (in
 * process), Step Functions' `{ Error, Cause }` (Cause being the Lambda's JSON error when a task
 * threw), or a plain string.
 */
export const jobErrorOf = (error: unknown): JobError => {
  const clip = (s: string) => (s.length > maxMessage ? `${s.slice(0, maxMessage - 1)}…` : s);
  if (error instanceof Error) return { code: error.name || 'Error', message: clip(error.message) };
  if (typeof error === 'string') return { code: 'Error', message: clip(error) };
  if (error && typeof error === 'object') {
    const e = error as { Error?: unknown; Cause?: unknown; code?: unknown; message?: unknown };
    if (typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: clip(e.message) };
    const code = typeof e.Error === 'string' && e.Error ? e.Error : 'Error';
    let message = typeof e.Cause === 'string' ? e.Cause : '';
    try {
      const cause = JSON.parse(message) as { errorMessage?: unknown };
      if (typeof cause.errorMessage === 'string') message = cause.errorMessage;
    } catch {
      // Not JSON: the cause as given.
    }
    return { code, message: clip(message || 'The nightly run failed') };
  }
  return { code: 'Error', message: 'The nightly run failed' };
};

/** The `fail` step: marks the job failed (unless it already succeeded) with the error. */
export const fail = async (deps: NightlyDeps, input: Omit<StepInput, 'totalSegments'> & { error?: unknown }) => {
  const { shopId, jobId, asOf } = input;
  const error = jobErrorOf(input.error);
  const marked = await deps.store.failJob(shopId, jobId, error, deps.clock.now().toISOString());
  deps.logger.error('nightly job failed', { shopId, jobId, asOf, code: error.code, reason: error.message, marked });
  return { step: 'fail' as const, status: marked ? ('failed' as const) : ('succeeded' as const), jobId };
};
