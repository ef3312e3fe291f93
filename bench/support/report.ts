/** Small statistics and plain-text table helpers for the benchmark's output. */

export const median = (values: number[]): number => {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Nearest-rank percentile (p in 0..100): an actually observed value, never interpolated. */
export const percentile = (values: number[], p: number): number => {
  if (!values.length) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

export const fmt = (n: number, digits = 0): string =>
  Number.isNaN(n) ? '—' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Units may be halves (eventually consistent reads); show them without noise. */
export const units = (n: number): string => (Number.isInteger(n) ? fmt(n) : fmt(n, 1));

export type Align = 'l' | 'r';

/** A plain-text table; numbers read best right-aligned, so callers say which columns are. */
export const table = (headers: string[], rows: string[][], align: Align[] = [], indent = ''): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};

/** Aligned `key  value` lines. */
export const keyValues = (pairs: [string, string][]): string => {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
};

export const heading = (title: string): string => `\n${title}\n${'═'.repeat(title.length)}`;
