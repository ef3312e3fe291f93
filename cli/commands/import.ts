import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { enc, type BoomerangClient } from '../client';
import { action, type Ctx, type RunState } from '../context';
import { CliError, exitCodes, usageError, type ExitCode } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';
import { pollWithProgress } from '../poll';

/** An import as `GET …/imports/{importId}` shows it (docs/import.md). */
interface ImportJob {
  importId: string;
  kind: string;
  format: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  progress: { processed: number; total: number | null; percent: number; checkpointLine: number };
  imported: number;
  skipped: number;
  failed: number;
  errors: { line: number; message: string }[];
  errorsTruncated: boolean;
  warnings: { line: number; message: string }[];
  error: { code: string; message: string } | null;
}

/** Larger files go through an upload (`POST …/imports/uploads`), not the request body. */
const maxBodyBytes = 5 * 1024 * 1024;

const importsPath = (shopId: string) => `/admin/shops/${enc(shopId)}/imports`;

const summary = (job: ImportJob): string => {
  let out = keyValues({
    importId: job.importId,
    kind: `${job.kind} (${job.format})`,
    status: job.status,
    imported: job.imported,
    skipped: job.skipped,
    failed: job.failed,
    ...(job.error ? { error: `${job.error.code}: ${job.error.message}` } : {}),
  });
  if (job.errors.length) {
    out += `\nrow errors${job.errorsTruncated ? ` (the first ${job.errors.length}; more were not stored)` : ''}:\n`;
    out += table(job.errors, ['line', 'message']);
  }
  if (job.warnings.length) out += `\nwarnings:\n${table(job.warnings, ['line', 'message'])}`;
  return out;
};

/** 0 when every row imported or was skipped, 6 when rows failed, 5 when the job itself broke. */
const exitCodeOf = (job: ImportJob): ExitCode => {
  if (job.status === 'completed') return job.failed > 0 ? exitCodes.partial : exitCodes.ok;
  return job.failed > 0 || job.error?.code === 'strict_rejected' ? exitCodes.partial : exitCodes.server;
};

/** Polls the import until it ends, with a bar on a terminal. */
const follow = async (
  io: Io,
  client: BoomerangClient,
  shopId: string,
  importId: string,
  json: boolean,
  timeoutMs: number,
) => {
  const read = () => client.request<ImportJob>('GET', `${importsPath(shopId)}/${enc(importId)}`);
  return pollWithProgress(io, {
    first: await read(),
    next: read,
    running: (job) => job.status === 'queued' || job.status === 'running',
    progress: (job) => ({
      value: job.progress.processed,
      total: job.progress.total ?? 0,
      payload: { imported: job.imported, failed: job.failed },
    }),
    format: 'import [{bar}] {value}/{total} records | {imported} imported, {failed} failed',
    timedOut: (job) =>
      new CliError(
        exitCodes.server,
        `import ${importId} is still ${job.status}; follow it with \`import status ${importId}\``,
      ),
    json,
    timeoutMs,
  });
};

/** Sends the file (as the body, or through an upload when it is large) and returns the new import's id. */
const start = async (ctx: Ctx, file: string, query: Record<string, string | undefined>) => {
  const path = resolve(ctx.io.cwd, file);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw usageError(`cannot read ${file}`);
  }
  const shopId = ctx.shopId();
  const bytes = await readFile(path);
  if (size > maxBodyBytes) {
    const upload = await ctx.client.request<{ s3Key: string; url: string }>('POST', `${importsPath(shopId)}/uploads`);
    // A presigned S3 URL carries its own credential; the local stand-in is our API and wants the key.
    const ours = upload.url.startsWith(ctx.config.url.value!.replace(/\/+$/, ''));
    await ctx.client.request('PUT', upload.url, { body: bytes, auth: ours, headers: { 'content-type': 'text/plain' } });
    query.s3Key = upload.s3Key;
  }
  const started = await ctx.client.request<{ importId: string }>('POST', importsPath(shopId), {
    query,
    ...(query.s3Key ? {} : { body: bytes, headers: { 'content-type': 'text/plain; charset=utf-8' } }),
  });
  return { shopId, importId: started.importId };
};

const finish = async (ctx: Ctx, shopId: string, importId: string, timeoutSeconds: string) => {
  const job = await follow(ctx.io, ctx.client, shopId, importId, ctx.json, Number(timeoutSeconds) * 1000);
  emit(ctx.io, ctx.json, job, () => summary(job));
  return exitCodeOf(job);
};

export const registerImport = (program: Command, io: Io, state: RunState) => {
  const cmd = program
    .command('import')
    .description('import balances or order history from another loyalty app or platform (docs/import.md)');
  const timeout = () => new Option('--timeout <seconds>', 'stop following after this long (exit 5)').default('1800');

  cmd
    .command('balances')
    .description("members' points balances: opening-balance entries, once per member and source")
    .argument('<file>', 'the CSV export')
    .addOption(
      new Option('--format <format>', 'file format').choices(['smile', 'loyaltylion', 'plain']).makeOptionMandatory(),
    )
    .option('--strict', 'check the whole file first; any bad row and nothing is written')
    .addOption(timeout())
    .action(
      action(io, state, async (ctx, file: string, opts: { format: string; strict?: boolean; timeout: string }) => {
        const { shopId, importId } = await start(ctx, file, {
          kind: 'balances',
          format: opts.format,
          ...(opts.strict ? { strict: 'true' } : {}),
        });
        return finish(ctx, shopId, importId, opts.timeout);
      }),
    );

  cmd
    .command('orders')
    .description('order history: feeds the churn model, tiers and customer history; no points unless --award-points')
    .argument('<file>', 'the export: Shopify orders CSV, or JSONL of WooCommerce orders or custom webhook bodies')
    .addOption(
      new Option('--format <format>', 'file format')
        .choices(['shopify-csv', 'woocommerce-jsonl', 'custom-jsonl'])
        .makeOptionMandatory(),
    )
    .option('--award-points', 'the orders earn points as if they had come in as webhooks (no e-mails)')
    .option('--strict', 'check the whole file first; any bad row and nothing is written')
    .addOption(timeout())
    .action(
      action(
        io,
        state,
        async (
          ctx,
          file: string,
          opts: { format: string; awardPoints?: boolean; strict?: boolean; timeout: string },
        ) => {
          const { shopId, importId } = await start(ctx, file, {
            kind: 'orders',
            format: opts.format,
            ...(opts.awardPoints ? { awardPoints: 'true' } : {}),
            ...(opts.strict ? { strict: 'true' } : {}),
          });
          return finish(ctx, shopId, importId, opts.timeout);
        },
      ),
    );

  cmd
    .command('status')
    .description('an import: status, counts and row errors (follows it until it ends)')
    .argument('<importId>')
    .addOption(timeout())
    .action(
      action(io, state, async (ctx, importId: string, opts: { timeout: string }) =>
        finish(ctx, ctx.shopId(), importId, opts.timeout),
      ),
    );

  cmd
    .command('resume')
    .description('another run of an import that failed or stopped, from its checkpoint (nothing is applied twice)')
    .argument('<importId>')
    .addOption(timeout())
    .action(
      action(io, state, async (ctx, importId: string, opts: { timeout: string }) => {
        const shopId = ctx.shopId();
        await ctx.client.request('POST', `${importsPath(shopId)}/${enc(importId)}/resume`);
        return finish(ctx, shopId, importId, opts.timeout);
      }),
    );

  cmd
    .command('list')
    .description("the shop's imports, newest first")
    .action(
      action(io, state, async (ctx) => {
        const { imports } = await ctx.client.request<{ imports: ImportJob[] }>('GET', importsPath(ctx.shopId()));
        emit(io, ctx.json, { imports }, () =>
          table(
            imports.map((i) => ({ ...i, kind: `${i.kind}/${i.format}` })),
            ['importId', 'kind', 'status', 'imported', 'skipped', 'failed'],
          ),
        );
      }),
    );
};
