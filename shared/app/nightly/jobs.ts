import type { DomainResult } from '../../domain/result';
import { err, ok } from '../../domain/result';
import type { Shop } from '../../domain/shop';
import type { ExportSink, NightlyDeps, NightlyJob, NightlyLauncher, NightlyStore } from '../ports/nightly';
import { downloadValiditySeconds } from './assemble';
import { progressDone, startNightly, type StartOutcome } from './run';

/** The nightly run as the admin API starts and reads it (`/admin/shops/{shopId}/jobs…`). */

/**
 * A job as `GET …/jobs/{jobId}` shows it. `progress` is the stored one while the job runs (and
 * where a failed one stopped); a job that succeeded has done every step.
 */
export const jobView = (job: NightlyJob) => {
  const progress = job.status === 'succeeded' ? progressDone : job.progress;
  return {
    jobId: job.jobId,
    status: job.status,
    ...(progress ? { progress } : {}),
    ...(job.result ? { result: job.result } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
};

/**
 * Runs the churn segments for `asOf` (today, UTC, or earlier) under a new job id, handed to the
 * launcher (the state machine, or the background of this process) without waiting for it. With
 * `wait`, and only when the run would happen in this process anyway, it runs here to the end
 * (the outcome is then `finished`); a state machine always takes the run.
 */
export const requestNightly = async (
  deps: NightlyDeps,
  launcher: NightlyLauncher | undefined,
  shop: Shop,
  o: { asOf: string; totalSegments: number; wait?: boolean },
): Promise<DomainResult<StartOutcome, { kind: 'as_of_in_future' }>> => {
  if (o.asOf > deps.clock.now().toISOString().slice(0, 10)) return err({ kind: 'as_of_in_future' });
  const runHere = o.wait === true && (!launcher || launcher.inProcess === true);
  return ok(
    await startNightly(deps, runHere ? undefined : launcher, shop, {
      asOf: o.asOf,
      jobId: deps.newId(),
      trigger: 'api',
      totalSegments: o.totalSegments,
    }),
  );
};

/**
 * A job with fresh links to its exports: the stored ones may have expired (or, presigned by the
 * worker's short-lived role session, stopped working early). `sink` signs links for this reader.
 */
export const readNightlyJob = async (
  deps: { jobs: Pick<NightlyStore, 'getJob'>; sink: Pick<ExportSink, 'downloadUrl'> },
  shopId: string,
  jobId: string,
): Promise<DomainResult<ReturnType<typeof jobView>, { kind: 'not_found' }>> => {
  const job = await deps.jobs.getJob(shopId, jobId);
  if (!job) return err({ kind: 'not_found' });
  if (!job.result) return ok(jobView(job));
  const [csvLink, jsonLink] = await Promise.all([
    deps.sink.downloadUrl(job.result.export.csv.key, downloadValiditySeconds),
    deps.sink.downloadUrl(job.result.export.json.key, downloadValiditySeconds),
  ]);
  return ok(jobView({ ...job, result: { ...job.result, export: { csv: csvLink, json: jsonLink } } }));
};
