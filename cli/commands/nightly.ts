import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { enc, type BoomerangClient } from '../client';
import { action, type Ctx, type RunState } from '../context';
import { CliError, exitCodes, usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';
import { pollWithProgress } from '../poll';

interface Job {
  jobId: string;
  status: 'running' | 'succeeded' | 'failed';
  progress?: { step: string; stepsDone: number; stepsTotal: number };
  result?: {
    asOf?: string;
    model?: { selected?: string; customers?: number; horizonDays?: number; card?: { reason?: string } };
    segments?: Record<string, number>;
    export?: Partial<Record<'csv' | 'json', { key: string; url: string; expiresAt: string }>>;
  };
  error?: unknown;
}

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

const jobPath = (shopId: string, jobId: string) => `/admin/shops/${enc(shopId)}/jobs/${enc(jobId)}`;

const segmentRows = (segments: Record<string, number> = {}) =>
  Object.entries(segments).map(([segment, customers]) => ({ segment, customers }));

const summary = (job: Job): string => {
  const r = job.result ?? {};
  return (
    keyValues({
      jobId: job.jobId,
      status: job.status,
      asOf: r.asOf,
      model: r.model?.selected,
      reason: r.model?.card?.reason,
      customers: r.model?.customers,
      horizonDays: r.model?.horizonDays,
      ...(job.error ? { error: job.error } : {}),
    }) +
    '\n' +
    table(segmentRows(r.segments), ['segment', 'customers'])
  );
};

/** Polls the job until it ends, drawing a bar on a terminal (or a line per step elsewhere). */
const waitForJob = (io: Io, client: BoomerangClient, shopId: string, first: Job, json: boolean, timeoutMs: number) =>
  pollWithProgress(io, {
    first,
    next: () => client.request<Job>('GET', jobPath(shopId, first.jobId)),
    running: (job) => job.status === 'running',
    progress: (job) =>
      job.progress && {
        value: job.progress.stepsDone,
        total: job.progress.stepsTotal,
        payload: { step: job.progress.step },
      },
    format: 'nightly [{bar}] {value}/{total} {step}',
    line: (job) =>
      job.progress && `nightly: ${job.progress.step} (${job.progress.stepsDone}/${job.progress.stepsTotal})`,
    timedOut: (job) => new CliError(exitCodes.server, `job ${job.jobId} still running after the timeout`),
    json,
    timeoutMs,
  });

/** A named run (`--job`), the scheduled run of a day (`--as-of`), or else the latest run that succeeded. */
const readJob = async (ctx: Ctx, opts: { job?: string; asOf?: string }): Promise<Job> => {
  if (opts.asOf && !isoDay.test(opts.asOf)) throw usageError('--as-of must be YYYY-MM-DD');
  if (opts.job || opts.asOf)
    return ctx.client.request<Job>('GET', jobPath(ctx.shopId(), opts.job ?? `nightly-${opts.asOf}`));
  const runs = await ctx.client.request<{ items: { jobId: string; status: string }[] }>(
    'GET',
    `/admin/shops/${enc(ctx.shopId())}/jobs`,
    { query: { limit: 25 } },
  );
  const latest = runs.items.find((j) => j.status === 'succeeded');
  if (!latest) throw new CliError(exitCodes.notFound, 'no nightly run has succeeded yet: `nightly run --as-of …`');
  return ctx.client.request<Job>('GET', jobPath(ctx.shopId(), latest.jobId));
};

export const registerNightly = (program: Command, io: Io, state: RunState) => {
  program
    .command('nightly')
    .description('the nightly churn run')
    .command('run')
    .description('run the churn segments for a day and wait for it: model, segments, exports')
    .requiredOption('--as-of <day>', 'YYYY-MM-DD, today (UTC) or earlier')
    .option('--timeout <seconds>', 'give up waiting after this long (exit 5)', '900')
    .action(
      action(io, state, async (ctx, opts: { asOf: string; timeout: string }) => {
        if (!isoDay.test(opts.asOf)) throw usageError('--as-of must be YYYY-MM-DD');
        const shopId = ctx.shopId();
        const started = await ctx.client.request<Job | { jobId: string }>(
          'POST',
          `/admin/shops/${enc(shopId)}/jobs/nightly`,
          { body: { asOf: opts.asOf } },
        );
        const first: Job = 'status' in started ? started : { jobId: started.jobId, status: 'running' };
        const job = await waitForJob(io, ctx.client, shopId, first, ctx.json, Number(opts.timeout) * 1000);
        emit(io, ctx.json, job, () => summary(job));
        return job.status === 'succeeded' ? 0 : exitCodes.server;
      }),
    );

  program
    .command('segments')
    .description('churn segments')
    .command('list')
    .description("a nightly run's segment counts: the latest run, --job <jobId>, or --as-of for nightly-<asOf>")
    .option('--job <jobId>', 'the job id `nightly run` printed')
    .option('--as-of <day>', 'YYYY-MM-DD: the scheduled run of that day')
    .action(
      action(io, state, async (ctx, opts: { job?: string; asOf?: string }) => {
        const job = await readJob(ctx, opts);
        if (job.status !== 'succeeded')
          throw new CliError(exitCodes.notFound, `job ${job.jobId} is ${job.status}: no segments`);
        const out = { jobId: job.jobId, asOf: job.result?.asOf, segments: job.result?.segments ?? {} };
        emit(io, ctx.json, out, () => table(segmentRows(out.segments), ['segment', 'customers']));
      }),
    );

  program
    .command('exports')
    .description('nightly exports')
    .command('download')
    .description("download a nightly run's customer export (follows the job's signed link)")
    .option('--job <jobId>', 'the job id')
    .option('--as-of <day>', 'YYYY-MM-DD: the scheduled run of that day')
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'json']).default('csv'))
    .option('--out <file>', 'write here (default: stdout)')
    .action(
      action(io, state, async (ctx, opts: { job?: string; asOf?: string; format: 'csv' | 'json'; out?: string }) => {
        const job = await readJob(ctx, opts);
        const link = job.result?.export?.[opts.format];
        if (!link) throw new CliError(exitCodes.notFound, `job ${job.jobId} has no ${opts.format} export`);
        // The link carries its own credential (a token or a presigned URL): no API key goes with it.
        const file = await ctx.client.download(link.url, { auth: false });
        if (opts.out) {
          const path = resolve(io.cwd, opts.out);
          await writeFile(path, file.bytes);
          const out = { jobId: job.jobId, format: opts.format, key: link.key, file: path, bytes: file.bytes.length };
          emit(io, ctx.json, out, () => `wrote ${opts.out} (${file.bytes.length} bytes)\n`);
        } else if (ctx.json && opts.format === 'csv') {
          emit(io, true, { jobId: job.jobId, format: opts.format, key: link.key, content: file.text }, () => '');
        } else io.stdout(file.text);
      }),
    );
};
