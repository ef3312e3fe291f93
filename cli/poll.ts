import { Presets, SingleBar } from 'cli-progress';
import type { CliError } from './exit-codes';
import type { Io } from './output';

export interface Progress {
  value: number;
  total: number;
  /** The bar's named values (`{step}`, `{imported}` in its format). */
  payload: Record<string, string | number>;
}

export interface PollOptions<T> {
  first: T;
  next: () => Promise<T>;
  running: (t: T) => boolean;
  progress: (t: T) => Progress | undefined;
  /** The bar's cli-progress format. */
  format: string;
  /** Without a bar (not a terminal) and without --json: a line for this poll, if it says something new. */
  line?: (t: T) => string | undefined;
  timedOut: (t: T) => CliError;
  json: boolean;
  timeoutMs: number;
}

/**
 * Polls a server-side job until it stops running: one way for every long command (nightly runs,
 * imports). A bar on a terminal; never with --json or when stderr is not a TTY, where a bar's
 * control characters would only garble a log.
 */
export const pollWithProgress = async <T>(io: Io, o: PollOptions<T>): Promise<T> => {
  const bar =
    !o.json && io.stderrStream?.isTTY
      ? new SingleBar({ format: o.format, stream: io.stderrStream }, Presets.shades_classic)
      : undefined;
  let current = o.first;
  let lastLine: string | undefined;
  let started = false;
  const show = (t: T) => {
    const p = o.progress(t);
    if (bar && p) {
      if (!started) bar.start(p.total, p.value, p.payload);
      else {
        bar.setTotal(p.total);
        bar.update(p.value, p.payload);
      }
      started = true;
    } else if (!bar && !o.json) {
      const line = o.line?.(t);
      if (line && line !== lastLine) io.stderr(`${line}\n`);
      lastLine = line;
    }
  };
  const deadline = Date.now() + o.timeoutMs;
  show(current);
  try {
    while (o.running(current)) {
      if (Date.now() > deadline) throw o.timedOut(current);
      await new Promise((r) => setTimeout(r, io.pollMs ?? 1000));
      current = await o.next();
      show(current);
    }
  } finally {
    bar?.stop();
  }
  return current;
};
