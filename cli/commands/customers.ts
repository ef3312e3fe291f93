import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';

type Overview = Record<string, unknown> & {
  points?: Record<string, unknown>;
  ledger?: Record<string, unknown>[];
  segment?: Record<string, unknown> | null;
};

const customerPath = (shopId: string, ref: string) => `/admin/shops/${enc(shopId)}/customers/${enc(ref)}`;

export const registerCustomers = (program: Command, io: Io, state: RunState) => {
  const customers = program.command('customers').description("a shop's customers: read, adjust points, GDPR export");

  customers
    .command('get <customerRef>')
    .description('balances, tier, segment and the latest ledger entries (customerRef: e-mail or platform id)')
    .option('--limit <n>', 'ledger entries (1–100)', '10')
    .action(
      action(io, state, async (ctx, ref: string, opts: { limit: string }) => {
        const r = await ctx.client.request<Overview>('GET', customerPath(ctx.shopId(), ref), {
          query: { limit: opts.limit },
        });
        emit(io, ctx.json, r, () => {
          const { ledger = [], points, segment, nextCursor: _n, referral: _r, ...rest } = r;
          const scalars = Object.fromEntries(
            Object.entries(rest).filter(([, v]) => typeof v !== 'object' || v === null),
          );
          return (
            keyValues({ ...scalars, ...(points ? { points } : {}), segment: segment?.segment ?? segment ?? null }) +
            '\n' +
            table(ledger, ['at', 'type', 'points', 'status', 'reason'])
          );
        });
      }),
    );

  customers
    .command('adjust <customerRef>')
    .description('add (or, negative, take away) points with a reason; sent with an Idempotency-Key')
    .requiredOption('--points <n>', 'points to add; negative to remove')
    .requiredOption('--reason <text>', 'why (3–500 characters), kept in the ledger')
    .option('--actor <who>', 'who at the shop made it (e.g. a staff e-mail)')
    .option('--idempotency-key <key>', 'reuse to retry safely (default: a new random key)')
    .action(
      action(
        io,
        state,
        async (ctx, ref: string, opts: { points: string; reason: string; actor?: string; idempotencyKey?: string }) => {
          const points = Number(opts.points);
          if (!Number.isInteger(points) || points === 0) throw usageError('--points must be a non-zero integer');
          const idempotencyKey = opts.idempotencyKey ?? randomUUID();
          const r = await ctx.client.request<{ entry: Record<string, unknown>; points: Record<string, unknown> }>(
            'POST',
            `${customerPath(ctx.shopId(), ref)}/adjustments`,
            {
              body: { points, reason: opts.reason, ...(opts.actor ? { actor: opts.actor } : {}) },
              headers: { 'idempotency-key': idempotencyKey },
            },
          );
          emit(io, ctx.json, r, () =>
            keyValues({ entry: r.entry.entryId ?? r.entry.id, type: r.entry.type, points, balance: r.points?.balance }),
          );
        },
      ),
    );

  customers
    .command('export <customerRef>')
    .description('everything held on the customer (GDPR access request), as JSON')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(
      action(io, state, async (ctx, ref: string, opts: { out?: string }) => {
        const r = await ctx.client.request<unknown>('GET', `${customerPath(ctx.shopId(), ref)}/export`);
        const text = `${JSON.stringify(r, null, 2)}\n`;
        if (opts.out) {
          await writeFile(resolve(io.cwd, opts.out), text);
          if (ctx.json) emit(io, true, { file: resolve(io.cwd, opts.out), bytes: Buffer.byteLength(text) }, () => '');
          else io.stdout(`wrote ${opts.out}\n`);
        } else io.stdout(text);
      }),
    );
};
