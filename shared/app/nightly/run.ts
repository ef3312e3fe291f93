import type { Shop } from '../../domain/shop';
import type { NightlyStep } from '../../schemas/nightly';
import { assemble } from './assemble';
import { fail } from './fail';
import { range } from './files';
import { fit } from './fit';
import {
  runSteps,
  type JobProgress,
  type NightlyDeps,
  type NightlyJob,
  type NightlyLauncher,
  type NightlyRunInput,
  type RunStep,
} from '../ports/nightly';
import { localDateHour, nightlyDueAsOf, previousDay, scheduledJobId } from './schedule';
import { score } from './score';
import { summarise } from './summarise';

/** The worker's input: one step of one run (the step contract of the state machine). */
export interface StepRequest {
  step: NightlyStep;
  shopId: string;
  jobId: string;
  asOf: string;
  segment?: number;
  totalSegments?: number;
  error?: unknown;
}

/** The progress of a run that is in `step`: the steps before it are done. */
export const progressAt = (step: RunStep): JobProgress => ({
  step,
  stepsDone: runSteps.indexOf(step),
  stepsTotal: runSteps.length,
});

/** The progress of a run that succeeded. */
export const progressDone: JobProgress = { step: 'assemble', stepsDone: runSteps.length, stepsTotal: runSteps.length };

/**
 * Records that a run has entered `step` (a job starts in `summarise`). Best effort: a lost
 * progress write is logged, never fails the run.
 */
const enterStep = async (deps: NightlyDeps, run: { shopId: string; jobId: string }, step: RunStep) => {
  try {
    await deps.store.setJobProgress(run.shopId, run.jobId, progressAt(step), deps.clock.now().toISOString());
  } catch (e) {
    deps.logger.warn('nightly progress not recorded', { shopId: run.shopId, jobId: run.jobId, step, error: e });
  }
};

const needSegment = (r: StepRequest): number => {
  if (r.segment === undefined) throw new RangeError(`Step ${r.step} needs a segment`);
  return r.segment;
};

/**
 * Runs one step. `totalSegments` comes from the request or, when absent, from the job record.
 * Returns a small summary (bulk data stays in the sink).
 */
export const runStep = async (deps: NightlyDeps, r: StepRequest) => {
  if (r.step === 'fail') return fail(deps, r);
  let totalSegments = r.totalSegments;
  if (totalSegments === undefined) {
    const job = await deps.store.getJob(r.shopId, r.jobId);
    if (!job) throw new Error(`No job ${r.jobId} for shop ${r.shopId}`);
    totalSegments = job.totalSegments;
  }
  const input = { shopId: r.shopId, jobId: r.jobId, asOf: r.asOf, totalSegments };
  // Every shard's score call records the same step: a few small writes, and no ordering needed.
  if (r.step !== 'summarise') await enterStep(deps, r, r.step);
  switch (r.step) {
    case 'summarise':
      return summarise(deps, { ...input, segment: needSegment(r) });
    case 'fit':
      return fit(deps, input);
    case 'score':
      return score(deps, { ...input, segment: needSegment(r) });
    case 'assemble': {
      const { result: _result, ...small } = await assemble(deps, input);
      return small;
    }
  }
};

/**
 * Every step in this process, as the state machine would run them: summarise each segment,
 * fit, score each shard, assemble; any error marks the job failed. Returns the finished job.
 */
export const runInProcess = async (deps: NightlyDeps, run: NightlyRunInput): Promise<NightlyJob> => {
  try {
    await Promise.all(range(run.totalSegments).map((segment) => summarise(deps, { ...run, segment })));
    await enterStep(deps, run, 'fit');
    const { shards } = await fit(deps, run);
    await enterStep(deps, run, 'score');
    await Promise.all(shards.map((segment) => score(deps, { ...run, segment })));
    await enterStep(deps, run, 'assemble');
    await assemble(deps, run);
  } catch (e) {
    await fail(deps, { ...run, error: e });
  }
  const job = await deps.store.getJob(run.shopId, run.jobId);
  if (!job) throw new Error(`Job ${run.jobId} vanished`);
  return job;
};

export interface StartOptions {
  asOf: string;
  jobId: string;
  trigger: NightlyJob['trigger'];
  totalSegments: number;
}

export type StartOutcome =
  | { outcome: 'started'; mode: 'async'; job: NightlyJob }
  | { outcome: 'finished'; mode: 'sync'; job: NightlyJob }
  | { outcome: 'exists'; job: NightlyJob };

/**
 * Starts a run: records the job (running), then hands it to the launcher (the state machine, or
 * the background of this process) and returns at once; without a launcher (an explicit `wait`)
 * it runs every step here and returns the finished job. A job id that is already taken by a run
 * that has not failed starts nothing.
 */
export const startNightly = async (
  deps: NightlyDeps,
  launcher: NightlyLauncher | undefined,
  shop: Shop,
  o: StartOptions,
): Promise<StartOutcome> => {
  const at = deps.clock.now().toISOString();
  const job: NightlyJob = {
    shopId: shop.id,
    jobId: o.jobId,
    asOf: o.asOf,
    totalSegments: o.totalSegments,
    trigger: o.trigger,
    status: 'running',
    createdAt: at,
    updatedAt: at,
    progress: progressAt('summarise'),
  };
  if (!(await deps.store.createJob(job))) {
    const existing = await deps.store.getJob(shop.id, o.jobId);
    return { outcome: 'exists', job: existing ?? job };
  }
  const run: NightlyRunInput = { shopId: shop.id, jobId: o.jobId, asOf: o.asOf, totalSegments: o.totalSegments };
  deps.logger.info('nightly job started', { ...run, trigger: o.trigger, mode: launcher ? 'async' : 'sync' });
  if (launcher) {
    try {
      await launcher.start(run);
    } catch (e) {
      await fail(deps, { ...run, error: e });
      throw e;
    }
    return { outcome: 'started', mode: 'async', job };
  }
  return { outcome: 'finished', mode: 'sync', job: await runInProcess(deps, run) };
};

export interface ScheduledRunSummary {
  checked: number;
  started: { shopId: string; jobId: string; asOf: string; status: string }[];
  skipped: number;
}

/**
 * The hourly schedule: starts the run of every active shop whose local time is its run hour,
 * as of its previous local day. `only` (a shop id: run it now, as of its local yesterday) and
 * `asOf` override, for manual runs.
 */
export const runScheduledNightly = async (
  deps: NightlyDeps,
  launcher: NightlyLauncher | undefined,
  shopIds: AsyncIterable<string> | Iterable<string>,
  o: { totalSegments: number; only?: string; asOf?: string },
): Promise<ScheduledRunSummary> => {
  const summary: ScheduledRunSummary = { checked: 0, started: [], skipped: 0 };
  const now = deps.clock.now();
  for await (const shopId of shopIds) {
    if (o.only !== undefined && shopId !== o.only) continue;
    summary.checked++;
    const shop = await deps.shops.get(shopId);
    // A named shop runs whatever its local hour, as of its local yesterday.
    const asOf =
      o.asOf ??
      (shop &&
        (o.only !== undefined
          ? previousDay(localDateHour(now, shop.timezone).date)
          : nightlyDueAsOf(now, shop.timezone)));
    if (!shop || shop.status !== 'active' || !asOf) {
      summary.skipped++;
      continue;
    }
    try {
      const r = await startNightly(deps, launcher, shop, {
        asOf,
        jobId: scheduledJobId(asOf),
        trigger: 'schedule',
        totalSegments: o.totalSegments,
      });
      if (r.outcome === 'exists') summary.skipped++;
      else summary.started.push({ shopId, jobId: r.job.jobId, asOf, status: r.job.status });
    } catch (e) {
      // One shop's failure to start must not hold up the others; the schedule's retries and alarms see the log.
      deps.logger.error('nightly start failed', { shopId, asOf, error: e });
      summary.skipped++;
    }
  }
  return summary;
};
