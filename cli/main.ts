import { Command, CommanderError } from 'commander';
import { registerConfig } from './commands/config';
import { registerCustomers } from './commands/customers';
import { registerEndpoints } from './commands/endpoints';
import { registerImport } from './commands/import';
import { registerMetrics } from './commands/metrics';
import { registerNightly } from './commands/nightly';
import { registerProgram } from './commands/program';
import { registerShops } from './commands/shops';
import { registerUsers } from './commands/users';
import { registerWebhooks } from './commands/webhooks';
import type { RunState } from './context';
import { exitCodes, exitCodesHelp, type ExitCode } from './exit-codes';
import { nodeIo, type Io } from './output';

/** Adds the exit codes to the help of a command and every command under it. */
const withExitCodes = (cmd: Command) => {
  cmd.addHelpText('after', exitCodesHelp);
  for (const sub of cmd.commands) withExitCodes(sub);
};

/** The `boomerang` command tree, writing to `io`; a fresh one per run (commander keeps parse state). */
export const buildProgram = (io: Io, state: RunState): Command => {
  const program = new Command('boomerang')
    .description('Operate a Boomerang loyalty engine from the terminal (README, CLI)')
    .option('--url <url>', 'API base URL (env BOOMERANG_URL, config file; default http://localhost:3000)')
    .option('--key <key>', 'operator or shop API key (env BOOMERANG_API_KEY, config file)')
    .option('--shop <shopId>', 'the shop to act on (env BOOMERANG_SHOP, config file)')
    .option('--json', 'machine-readable JSON on stdout')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerConfig(program, io, state);
  registerShops(program, io, state);
  registerProgram(program, io, state);
  registerCustomers(program, io, state);
  registerWebhooks(program, io, state);
  registerUsers(program, io, state);
  registerImport(program, io, state);
  registerNightly(program, io, state);
  registerMetrics(program, io, state);
  registerEndpoints(program, io, state);
  withExitCodes(program);
  return program;
};

/** Runs the CLI on `argv` (without node and script) and returns its exit code; never exits the process. */
export const run = async (argv: readonly string[], io: Io = nodeIo()): Promise<ExitCode> => {
  const state: RunState = { exitCode: exitCodes.ok };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // --help and --version end here with 0; every parse error is a usage error.
    return e.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  }
  return state.exitCode;
};
