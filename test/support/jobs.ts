import type { Api } from './stack';

/** A nightly job as `GET /admin/shops/{shopId}/jobs/{jobId}` shows it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobJson = { jobId: string; status: string; progress?: any; result?: any; error?: any };

/**
 * Polls `GET /admin/shops/{shopId}/jobs/{jobId}` until the job is no longer `running` (a run
 * started with `POST …/jobs/nightly` answers 202 at once). Returns the ended job and every
 * body read while it ran, in order (to check progress).
 */
export const waitForJob = async (
  api: Api,
  o: { shopId: string; jobId: string; key: string; timeoutMs?: number; intervalMs?: number },
): Promise<{ job: JobJson; seen: JobJson[] }> => {
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  const seen: JobJson[] = [];
  for (;;) {
    const r = await api('GET', `/admin/shops/${o.shopId}/jobs/${o.jobId}`, { key: o.key });
    if (r.status !== 200) throw new Error(`GET job ${o.jobId} answered ${r.status}: ${r.text}`);
    const job = r.json as JobJson;
    if (job.status !== 'running') return { job, seen };
    seen.push(job);
    if (Date.now() > deadline) throw new Error(`Job ${o.jobId} still running: ${JSON.stringify(job)}`);
    await new Promise((resolve) => setTimeout(resolve, o.intervalMs ?? 20));
  }
};

/** `POST …/jobs/nightly` as a client does: expects 202, then polls until the job has ended. */
export const runNightlyJob = async (
  api: Api,
  o: { shopId: string; key: string; asOf: string; timeoutMs?: number },
): Promise<{ job: JobJson; seen: JobJson[] }> => {
  const r = await api('POST', `/admin/shops/${o.shopId}/jobs/nightly`, { key: o.key, body: { asOf: o.asOf } });
  if (r.status !== 202) throw new Error(`POST jobs/nightly answered ${r.status}: ${r.text}`);
  const jobId = (r.json as { jobId: string }).jobId;
  return waitForJob(api, { shopId: o.shopId, jobId, key: o.key, timeoutMs: o.timeoutMs });
};
