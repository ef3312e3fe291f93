/**
 * The records of an import file with the line each starts on, so a row error names the line a
 * person sees in an editor. Pure and tolerant: a byte-order mark is dropped, CRLF and LF both end
 * lines, and a quoted CSV field may hold commas, doubled quotes and line breaks (RFC 4180).
 */

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  /** 1-based line the record ends on (later than `line` when a quoted field holds a line break). */
  lastLine: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** Splits CSV text into records; an unterminated quote is reported and ends the file. */
export const csvRecords = (input: string): { records: CsvRecord[]; problems: CsvProblem[] } => {
  const text = stripBom(input);
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteStart = 0;
  let any = false;
  const endRecord = () => {
    fields.push(field);
    // A blank line is no record (a trailing newline, spacing in a hand-made file).
    if (fields.length > 1 || fields[0] !== '') records.push({ line: start, lastLine: line, fields });
    fields = [];
    field = '';
    any = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (!any) {
      start = line;
      any = true;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      quoteStart = line;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      continue;
    } else if (ch === '\n') {
      endRecord();
      line++;
    } else field += ch;
  }
  if (quoted) problems.push({ line: quoteStart, message: 'a quoted field is never closed' });
  else if (any) endRecord();
  return { records, problems };
};

export interface TextLine {
  line: number;
  text: string;
}

/** The non-blank lines of a JSONL file with their numbers. */
export const jsonLines = (input: string): TextLine[] => {
  const out: TextLine[] = [];
  stripBom(input)
    .split('\n')
    .forEach((raw, i) => {
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (text.trim() !== '') out.push({ line: i + 1, text });
    });
  return out;
};

/** A header as a lookup key: lower case, runs of anything but letters and digits as one `_`. */
export const headerKey = (h: string): string =>
  h
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Column index by any of `aliases` (header keys), or -1. */
export const columnOf = (header: readonly string[], aliases: readonly string[]): number => {
  const keys = header.map(headerKey);
  for (const a of aliases) {
    const i = keys.indexOf(a);
    if (i >= 0) return i;
  }
  return -1;
};
