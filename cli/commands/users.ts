import type { Command } from 'commander';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import { emit, keyValues, table, type Io } from '../output';

type User = Record<string, unknown> & { id: string };
type AuditEntry = Record<string, unknown> & { actor: { label: string } };

const roleNames = ['owner', 'marketer', 'support'];
const usersPath = (shopId: string) => `/admin/shops/${enc(shopId)}/users`;

const checkedRole = (role: string | undefined): string | undefined => {
  if (role !== undefined && !roleNames.includes(role))
    throw usageError(`--role must be one of ${roleNames.join(', ')}`);
  return role;
};

/** The shop's console users and its audit log (docs/console.md). */
export const registerUsers = (program: Command, io: Io, state: RunState) => {
  const users = program.command('users').description("the shop's console users: invite, change a role, remove");

  users
    .command('list')
    .description('every user of the shop with their role')
    .action(
      action(io, state, async (ctx) => {
        const r = await ctx.client.request<{ items: User[] }>('GET', usersPath(ctx.shopId()));
        emit(io, ctx.json, r, () => table(r.items, ['id', 'email', 'name', 'role', 'lastSignInAt']));
      }),
    );

  users
    .command('invite <email>')
    .description('add a user; they get an e-mail telling them to sign in at /console')
    .requiredOption('--role <role>', roleNames.join(' | '))
    .option('--name <name>', 'how the console greets them')
    .action(
      action(io, state, async (ctx, email: string, opts: { role: string; name?: string }) => {
        const r = await ctx.client.request<{ user: User }>('POST', usersPath(ctx.shopId()), {
          body: { email, role: checkedRole(opts.role), ...(opts.name ? { name: opts.name } : {}) },
        });
        emit(io, ctx.json, r, () => keyValues(r.user));
      }),
    );

  users
    .command('update <userId>')
    .description("change a user's role or name")
    .option('--role <role>', roleNames.join(' | '))
    .option('--name <name>', 'a new name')
    .action(
      action(io, state, async (ctx, id: string, opts: { role?: string; name?: string }) => {
        if (opts.role === undefined && opts.name === undefined) throw usageError('give --role or --name');
        const body = {
          ...(opts.role ? { role: checkedRole(opts.role) } : {}),
          ...(opts.name ? { name: opts.name } : {}),
        };
        const r = await ctx.client.request<{ user: User }>('PATCH', `${usersPath(ctx.shopId())}/${enc(id)}`, { body });
        emit(io, ctx.json, r, () => keyValues(r.user));
      }),
    );

  users
    .command('remove <userId>')
    .description('remove a user (the last owner cannot be removed)')
    .action(
      action(io, state, async (ctx, id: string) => {
        await ctx.client.request('DELETE', `${usersPath(ctx.shopId())}/${enc(id)}`);
        emit(io, ctx.json, { removed: id }, () => `removed ${id}\n`);
      }),
    );

  program
    .command('audit')
    .description('who changed what, newest first')
    .option('--action <action>', 'only this action, e.g. program.updated')
    .option('--limit <n>', 'how many', '25')
    .option('--cursor <cursor>', 'the next page')
    .action(
      action(io, state, async (ctx, opts: { action?: string; limit: string; cursor?: string }) => {
        const r = await ctx.client.request<{ items: AuditEntry[]; nextCursor: string | null }>(
          'GET',
          `/admin/shops/${enc(ctx.shopId())}/audit`,
          {
            query: {
              limit: opts.limit,
              ...(opts.action ? { action: opts.action } : {}),
              ...(opts.cursor ? { cursor: opts.cursor } : {}),
            },
          },
        );
        emit(
          io,
          ctx.json,
          r,
          () =>
            table(
              r.items.map((e) => ({ ...e, actor: e.actor.label })),
              ['at', 'actor', 'action', 'summary'],
            ) + (r.nextCursor ? `\nmore: --cursor ${r.nextCursor}\n` : ''),
        );
      }),
    );
};
