import type * as z from 'zod';
import { programSchema, type Program } from '../../shared/schemas/program';

/**
 * The program editor's pure parts: reading and writing a draft by path, checking it with the
 * API's own schema (shared/schemas/program.ts), and the diff shown before saving.
 */
export type Path = (string | number)[];

export const getAt = (value: unknown, path: Path): unknown =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
    value,
  );

export const setAt = <T>(value: T, path: Path, next: unknown): T => {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path as [string | number, ...Path];
  const current = (value ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(current) ? [...current] : { ...current }) as Record<string | number, unknown>;
  copy[head] = setAt(current[head], rest, next);
  return copy as T;
};

export const pathKey = (path: readonly PropertyKey[]): string => path.map(String).join('.');

/** Every problem zod finds in the draft, by dotted path (the same paths the server's 400 names). */
export const validate = (draft: unknown): { program?: Program; issues: Map<string, string> } => {
  const r = programSchema.safeParse(draft);
  if (r.success) return { program: r.data, issues: new Map() };
  const issues = new Map<string, string>();
  for (const i of (r.error as z.ZodError).issues) {
    const key = pathKey(i.path);
    if (!issues.has(key)) issues.set(key, i.message);
  }
  return { issues };
};

/** The server's 400 details by field: paths of the PATCH body (`program.…`) made relative to the program. */
export const serverIssues = (details: { path: string; message: string }[]): Map<string, string> =>
  new Map(details.map((d) => [d.path.replace(/^program\.?/, ''), d.message]));

const flatten = (value: unknown, prefix: string, into: Map<string, unknown>): Map<string, unknown> => {
  if (value !== null && typeof value === 'object' && (!Array.isArray(value) || value.length > 0)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else into.set(prefix, value);
  return into;
};

export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

/** Leaf-by-leaf differences between the saved program and the draft, in path order. */
export const diff = (before: unknown, after: unknown): Change[] => {
  const a = flatten(before, '', new Map());
  const b = flatten(after, '', new Map());
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .map((p) => ({ path: p, from: a.get(p), to: b.get(p) }));
};
