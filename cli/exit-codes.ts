/** The CLI's exit codes (README, CLI; every command's `--help`). */
export const exitCodes = {
  ok: 0,
  /** Bad flags or arguments, an invalid program file, a command not available yet. */
  usage: 2,
  /** 401 or 403: a missing, wrong or other shop's key. */
  auth: 3,
  /** 404: the shop, customer, job or export does not exist. */
  notFound: 4,
  /** 5xx, or the server could not be reached. */
  server: 5,
  /**
   * Part of the work was refused (a replayed webhook answered with another 4xx; overrides PATCH kept; import rows
   * that failed).
   */
  partial: 6,
} as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export const exitCodesHelp = `
Exit codes:
  0  ok
  2  usage error (bad flags or arguments, invalid program file, command not available yet)
  3  auth failure (401/403)
  4  not found (404)
  5  server error (5xx) or server unreachable
  6  partial failure (a replayed webhook refused with another 4xx; program set left overrides the server kept;
     import rows that failed)`;

/** A failure the command has already explained; `run` prints the message and exits with `code`. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
    /** Written as JSON to stdout with --json. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const usageError = (message: string, details?: unknown) => new CliError(exitCodes.usage, message, details);

/** The exit code of an HTTP status that is not a success. */
export const exitCodeForStatus = (status: number): ExitCode => {
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 404) return exitCodes.notFound;
  if (status >= 500 || status === 0) return exitCodes.server;
  return exitCodes.partial;
};
