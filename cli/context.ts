import type { Command } from 'commander';
import { ApiError, BoomerangClient } from './client';
import { effectiveConfig, type EffectiveConfig } from './config';
import { CliError, exitCodeForStatus, usageError, type ExitCode } from './exit-codes';
import { printJson, type Io } from './output';

/** The options every command takes (defined once on the root command). */
export interface GlobalOptions {
  url?: string;
  key?: string;
  shop?: string;
  json?: boolean;
}

/** What a command's action works with: output, the effective config and an API client. */
export interface Ctx {
  io: Io;
  json: boolean;
  opts: GlobalOptions & Record<string, unknown>;
  config: EffectiveConfig;
  client: BoomerangClient;
  /** The shop a command acts on: its argument, else --shop / BOOMERANG_SHOP / the config file. */
  shopId(arg?: string): string;
}

/** Holds the exit code of the action that ran (commander's own errors are handled in run). */
export interface RunState {
  exitCode: ExitCode;
}

const makeCtx = async (io: Io, cmd: Command): Promise<Ctx> => {
  const opts = cmd.optsWithGlobals<GlobalOptions & Record<string, unknown>>();
  const config = await effectiveConfig({ url: opts.url, key: opts.key, shop: opts.shop }, io.env);
  const client = new BoomerangClient({ url: config.url.value!, key: config.key.value, fetch: io.fetch });
  return {
    io,
    json: !!opts.json,
    opts,
    config,
    client,
    shopId(arg) {
      const id = arg ?? config.shop.value;
      if (!id) throw usageError('No shop: give the shop id, --shop, BOOMERANG_SHOP or `boomerang config set --shop`');
      return id;
    },
  };
};

/** Reports a failure on stderr (and as JSON on stdout with --json); returns its exit code. */
export const report = (io: Io, json: boolean, e: unknown): ExitCode => {
  let code: ExitCode;
  let error: { code: string; message: string; status?: number; details?: unknown };
  if (e instanceof ApiError) {
    code = exitCodeForStatus(e.status);
    error = { ...e.body, status: e.status };
  } else if (e instanceof CliError) {
    code = e.code;
    error = { code: 'cli_error', message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) };
  } else throw e;
  io.stderr(`error: ${error.status ? `${error.status} ` : ''}${error.message}\n`);
  if (error.details !== undefined && !json) io.stderr(`${JSON.stringify(error.details, null, 2)}\n`);
  if (json) printJson(io, { error, exitCode: code });
  return code;
};

/**
 * Wraps a command's action: builds its Ctx from the command's options and records the exit code
 * (the action's own, or the one its failure maps to).
 */
export const action =
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (io: Io, state: RunState, fn: (ctx: Ctx, ...args: any[]) => Promise<ExitCode | void>) =>
    async (...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      const json = !!cmd.optsWithGlobals<GlobalOptions>().json;
      try {
        const ctx = await makeCtx(io, cmd);
        state.exitCode = (await fn(ctx, ...args.slice(0, -1))) ?? 0;
      } catch (e) {
        state.exitCode = report(io, json, e);
      }
    };
