import type { Command } from 'commander';
import { programSchema } from '../../shared/schemas/program';
import { enc } from '../client';
import { action, type RunState } from '../context';
import { diffPaths, formatChanges } from '../diff';
import { exitCodes, usageError } from '../exit-codes';
import { emit, yaml, type Io } from '../output';
import { readDataFile } from './shops';

export const registerProgram = (program: Command, io: Io, state: RunState) => {
  const cmd = program.command('program').description("read or replace a shop's loyalty program");

  cmd
    .command('get')
    .description("the shop's program (YAML; JSON with --json)")
    .action(
      action(io, state, async (ctx) => {
        const id = ctx.shopId();
        const r = await ctx.client.request<{ shop: { program: unknown } }>('GET', `/admin/shops/${enc(id)}`);
        emit(io, ctx.json, r.shop.program, () => yaml(r.shop.program));
      }),
    );

  cmd
    .command('set <file>')
    .description(
      'replace the program with a JSON or YAML file: validated here first (exit 2 when invalid), the changed paths shown, then sent',
    )
    .option('--dry-run', 'validate and show the changes without sending them')
    .action(
      action(io, state, async (ctx, file: string, opts: { dryRun?: boolean }) => {
        const id = ctx.shopId();
        const parsed = programSchema.safeParse(await readDataFile(io.cwd, file));
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({
            path: ['program', ...i.path].join('.'),
            message: i.message,
          }));
          throw usageError(
            `${file} is not a valid program:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join('\n')}`,
            issues,
          );
        }
        const current = await ctx.client.request<{ shop: { program: unknown } }>('GET', `/admin/shops/${enc(id)}`);
        const changes = diffPaths(current.shop.program, parsed.data);
        if (opts.dryRun || !changes.length) {
          emit(io, ctx.json, { changes, sent: false }, () => formatChanges(changes));
          return;
        }
        const r = await ctx.client.request<{ shop: { program: unknown } }>('PATCH', `/admin/shops/${enc(id)}`, {
          body: { program: parsed.data },
        });
        // PATCH deep-merges: a key the file drops from a map (an e-mail override) cannot be removed this way.
        const notApplied = diffPaths(r.shop.program, parsed.data);
        emit(
          io,
          ctx.json,
          { changes, sent: true, notApplied, program: r.shop.program },
          () => formatChanges(changes) + 'saved\n',
        );
        if (!notApplied.length) return;
        io.stderr(`warning: the server kept what the file leaves out:\n${formatChanges(notApplied)}`);
        return exitCodes.partial;
      }),
    );
};
