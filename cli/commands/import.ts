import type { Command } from 'commander';
import { action, type RunState } from '../context';
import { usageError } from '../exit-codes';
import type { Io } from '../output';

/** Registered so `--help` lists it; the server-side import job it drives does not exist yet (issue 14). */
export const registerImport = (program: Command, io: Io, state: RunState) => {
  program
    .command('import')
    .description('import balances or order history from another loyalty app (not available yet)')
    .argument('[args...]')
    .allowUnknownOption()
    .action(
      action(io, state, async () => {
        throw usageError(
          '`boomerang import` is not available yet: the server-side import job comes in a later release',
        );
      }),
    );
};
