import type { Command } from 'commander';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';

type Endpoint = Record<string, unknown> & { id: string };
type Delivery = Record<string, unknown> & { id: string; event?: { type?: string } };

const endpointsPath = (shopId: string) => `/admin/shops/${enc(shopId)}/endpoints`;
const events = (list: string) =>
  list
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);

/** A shop's outgoing webhook endpoints and their delivery log (docs/webhooks-outgoing.md). */
export const registerEndpoints = (program: Command, io: Io, state: RunState) => {
  const endpoints = program
    .command('endpoints')
    .description("a shop's outgoing webhook endpoints: register, change, rotate, and the delivery log");

  endpoints
    .command('list')
    .description('the endpoints (never their secrets)')
    .action(
      action(io, state, async (ctx) => {
        const r = await ctx.client.request<{ items: Endpoint[] }>('GET', endpointsPath(ctx.shopId()));
        emit(io, ctx.json, r, () => table(r.items, ['id', 'url', 'events', 'enabled', 'secretHint']));
      }),
    );

  endpoints
    .command('create <url>')
    .description('register an endpoint; its secret is printed this once')
    .requiredOption('--events <list>', 'comma-separated event types, or * for all')
    .option('--description <text>', 'what it is for')
    .option('--disabled', 'create it switched off')
    .action(
      action(
        io,
        state,
        async (ctx, url: string, opts: { events: string; description?: string; disabled?: boolean }) => {
          const r = await ctx.client.request<{ id: string; secret: string }>('POST', endpointsPath(ctx.shopId()), {
            body: {
              url,
              events: events(opts.events),
              ...(opts.description ? { description: opts.description } : {}),
              ...(opts.disabled ? { enabled: false } : {}),
            },
          });
          emit(io, ctx.json, r, () => keyValues({ id: r.id, secret: r.secret, note: 'the secret is not shown again' }));
        },
      ),
    );

  endpoints
    .command('get <endpointId>')
    .description('one endpoint')
    .action(
      action(io, state, async (ctx, id: string) => {
        const r = await ctx.client.request<{ endpoint: Endpoint }>('GET', `${endpointsPath(ctx.shopId())}/${enc(id)}`);
        emit(io, ctx.json, r, () => keyValues(r.endpoint));
      }),
    );

  endpoints
    .command('update <endpointId>')
    .description("change an endpoint's URL, events, description, or switch it on or off")
    .option('--url <url>', 'a new URL')
    .option('--events <list>', 'comma-separated event types, or * for all')
    .option('--description <text>', 'what it is for')
    .option('--enable', 'switch it on (also after a 410 switched it off)')
    .option('--disable', 'switch it off')
    .action(
      action(
        io,
        state,
        async (
          ctx,
          id: string,
          opts: { url?: string; events?: string; description?: string; enable?: boolean; disable?: boolean },
        ) => {
          if (opts.enable && opts.disable) throw usageError('--enable and --disable together');
          const body = {
            ...(opts.url ? { url: opts.url } : {}),
            ...(opts.events ? { events: events(opts.events) } : {}),
            ...(opts.description !== undefined ? { description: opts.description } : {}),
            ...(opts.enable ? { enabled: true } : opts.disable ? { enabled: false } : {}),
          };
          if (!Object.keys(body).length)
            throw usageError('nothing to change: give --url, --events, --description, --enable or --disable');
          const r = await ctx.client.request<{ endpoint: Endpoint }>(
            'PATCH',
            `${endpointsPath(ctx.shopId())}/${enc(id)}`,
            { body },
          );
          emit(io, ctx.json, r, () => keyValues(r.endpoint));
        },
      ),
    );

  endpoints
    .command('delete <endpointId>')
    .description('remove an endpoint')
    .action(
      action(io, state, async (ctx, id: string) => {
        await ctx.client.request('DELETE', `${endpointsPath(ctx.shopId())}/${enc(id)}`);
        emit(io, ctx.json, { deleted: id }, () => `deleted ${id}\n`);
      }),
    );

  endpoints
    .command('rotate-secret <endpointId>')
    .description('a new secret, printed this once; the old one keeps signing beside it for 24 hours')
    .action(
      action(io, state, async (ctx, id: string) => {
        const r = await ctx.client.request<{ id: string; secret: string }>(
          'POST',
          `${endpointsPath(ctx.shopId())}/${enc(id)}/secret`,
        );
        emit(io, ctx.json, r, () => keyValues({ id: r.id, secret: r.secret, note: 'the secret is not shown again' }));
      }),
    );

  endpoints
    .command('deliveries <endpointId>')
    .description('the delivery log, newest first')
    .option('--limit <n>', 'deliveries per page (1–100)', '25')
    .option('--cursor <cursor>', 'the next page (nextCursor of the previous one)')
    .action(
      action(io, state, async (ctx, id: string, opts: { limit: string; cursor?: string }) => {
        const r = await ctx.client.request<{ items: Delivery[]; nextCursor: string | null }>(
          'GET',
          `${endpointsPath(ctx.shopId())}/${enc(id)}/deliveries`,
          { query: { limit: opts.limit, ...(opts.cursor ? { cursor: opts.cursor } : {}) } },
        );
        emit(io, ctx.json, r, () => {
          const rows = r.items.map((d) => ({ ...d, type: d.event?.type }));
          const cols = ['id', 'type', 'status', 'attempts', 'lastResponseStatus', 'nextAttemptAt', 'reason'];
          return table(rows, cols) + (r.nextCursor ? `next page: --cursor ${r.nextCursor}\n` : '');
        });
      }),
    );

  endpoints
    .command('retry <endpointId> <deliveryId>')
    .description('send a failed delivery again, with a fresh retry schedule')
    .action(
      action(io, state, async (ctx, id: string, deliveryId: string) => {
        const r = await ctx.client.request<{ delivery: Delivery }>(
          'POST',
          `${endpointsPath(ctx.shopId())}/${enc(id)}/deliveries/${enc(deliveryId)}/retry`,
        );
        emit(io, ctx.json, r, () => keyValues({ id: r.delivery.id, status: r.delivery.status }));
      }),
    );
};
