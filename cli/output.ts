import { stringify as toYaml } from 'yaml';

/**
 * Where a command writes: injected so tests run the CLI in-process. `stderrStream` is the real
 * terminal stream when there is one (progress bars draw only on a TTY).
 */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: typeof fetch;
  stderrStream?: NodeJS.WriteStream;
  /** Milliseconds between job polls (tests make it short). */
  pollMs?: number;
}

export const nodeIo = (): Io => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  stderrStream: process.stderr,
});

export const printJson = (io: Io, value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);

const cell = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** Aligned columns with a header row. */
export const table = (rows: Record<string, unknown>[], columns: string[]): string => {
  if (!rows.length) return '(none)\n';
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
};

/** `key  value` lines; nested objects are shown as compact JSON. */
export const keyValues = (record: Record<string, unknown>): string => {
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n') + '\n';
};

export const yaml = (value: unknown): string => toYaml(value);

/** Human output or the JSON value, as --json asks. */
export const emit = (io: Io, json: boolean, value: unknown, human: () => string) => {
  if (json) printJson(io, value);
  else io.stdout(human());
};
