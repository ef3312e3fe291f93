import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { canonicalOrderSchema, refundSchema, type CanonicalOrder, type Refund } from '../../schemas/order';
import { sumMinor, toMinorUnits, type ToMinorOptions } from '../money/decimal';
import type { DomainResult } from '../result';
import { err, ok } from '../result';

/** Shared plumbing of the platform parsers: issues as values, money, ids, timestamps. */

export interface ParseIssue {
  /** Dotted path into the payload, e.g. `line_items.0.price`; `''` for the whole body. */
  path: string;
  message: string;
}

export interface ParseError {
  kind: 'invalid_payload';
  issues: ParseIssue[];
}

export const invalidPayload = (issues: ParseIssue[]): { ok: false; error: ParseError } =>
  err({ kind: 'invalid_payload', issues });

type PathPart = string | number;
const joinPath = (parts: readonly PropertyKey[]): string => parts.map((p) => String(p)).join('.');

export const zodIssues = (error: z.ZodError, prefix: readonly PathPart[] = []): ParseIssue[] =>
  error.issues.map((i) => ({ path: joinPath([...prefix, ...i.path]), message: i.message }));

/** Validates with a schema, reporting zod's issues as ParseIssues. */
export const validate = <S extends z.ZodType>(schema: S, value: unknown): DomainResult<z.infer<S>, ParseError> => {
  const parsed = schema.safeParse(value);
  return parsed.success ? ok(parsed.data) : invalidPayload(zodIssues(parsed.error));
};

/**
 * Collects issues while a payload is mapped, so one response lists every problem. Readers
 * return a harmless placeholder after recording an issue; `finish` refuses to return a value
 * when anything was recorded.
 */
export class Issues {
  readonly list: ParseIssue[] = [];

  add(path: readonly PathPart[], message: string): void {
    this.list.push({ path: joinPath(path), message });
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

/** Σ values held exactly; an overflow is recorded as an issue at `path`. */
export const sumOrIssue = (issues: Issues, values: number[], path: readonly PathPart[]): number => {
  const total = sumMinor(values);
  if (total === undefined) {
    issues.add(path, 'sum is too large to hold exactly');
    return 0;
  }
  return total;
};

/** A value a platform sends as an identifier: non-empty string, or an integer held exactly. */
export type RawId = string | number;

const gidTail = (gid: unknown): string | undefined => {
  if (typeof gid !== 'string') return undefined;
  const m = /\/(\d+)(?:\?.*)?$/.exec(gid);
  return m?.[1];
};

/**
 * An id as the exact decimal string the platform sent. Numbers that are not safe integers were
 * already rounded by a plain JSON.parse: they are recovered from a GraphQL gid's numeric tail
 * when one is at hand (and agrees), otherwise reported — a silently wrong id would merge
 * unrelated orders.
 */
export const readId = (issues: Issues, value: RawId, path: readonly PathPart[], gid?: unknown): string => {
  if (typeof value === 'string') return value;
  if (Number.isSafeInteger(value)) return String(value);
  if (!Number.isInteger(value)) {
    issues.add(path, 'id must be a string or an integer');
    return '0';
  }
  const tail = gidTail(gid);
  if (tail !== undefined && Number(tail) === value) return tail;
  issues.add(
    path,
    'integer id is beyond 2^53 − 1 and was rounded by JSON.parse; decode the body with parseWebhookJson',
  );
  return '0';
};

export const readOptionalId = (
  issues: Issues,
  value: RawId | null | undefined,
  path: readonly PathPart[],
  gid?: unknown,
): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : readId(issues, value, path, gid);

export interface ReadMoneyOptions extends ToMinorOptions {
  /** Read "" as zero (WooCommerce leaves some empty totals as ""). Otherwise "" is an error. */
  emptyIsZero?: boolean;
}

/**
 * Integer minor units of `currency`; records an issue (and yields 0) when the amount is bad.
 * An absent amount (null/undefined) is zero: callers check presence where it matters.
 */
export const readMoney = (
  issues: Issues,
  value: string | number | null | undefined,
  path: readonly PathPart[],
  currency: string,
  options: ReadMoneyOptions = {},
): number => {
  if (value === null || value === undefined) return 0;
  if (options.emptyIsZero && typeof value === 'string' && value.trim() === '') return 0;
  const r = toMinorUnits(value, currency, options);
  if (r.ok) return r.value;
  issues.add(path, r.error.message);
  return 0;
};

const isoWithZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
const isoWithoutZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * A platform timestamp as UTC ISO-8601 (`2022-01-01T00:00:00.000Z`), so that timestamps from
 * any platform compare correctly as strings (the ledger orders updates by `updatedAt`).
 * `assumeUtc` is for WooCommerce's `*_gmt` fields, which are UTC without a zone designator.
 */
export const toUtcIso = (value: string, options: { assumeUtc?: boolean } = {}): string | undefined => {
  const text = value.trim();
  let candidate: string;
  if (isoWithZone.test(text)) candidate = text;
  else if (options.assumeUtc && isoWithoutZone.test(text)) candidate = `${text}Z`;
  else return undefined;
  const normalized = candidate.replace(' ', 'T').replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalized);
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  // Reject calendar overflow that Date would silently roll over (e.g. 2021-02-30).
  const [y, m, d] = normalized.slice(0, 10).split('-').map(Number);
  const probe = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 0));
  if (probe.getUTCDate() !== d || probe.getUTCMonth() !== (m ?? 1) - 1) return undefined;
  return date.toISOString();
};

export const readTimestamp = (
  issues: Issues,
  value: string | null | undefined,
  path: readonly PathPart[],
  options: { assumeUtc?: boolean } = {},
): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const iso = toUtcIso(value, options);
  if (iso === undefined)
    issues.add(path, `"${value}" is not an ISO-8601 date-time${options.assumeUtc ? '' : ' with a time zone'}`);
  return iso;
};

/** Trimmed non-empty string or undefined (platforms send "" and null for "nothing"). */
export const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  return t === '' ? undefined : t;
};

/** Drops keys whose value is undefined, so optional fields are absent rather than `undefined`. */
export const compact = <T extends Record<string, unknown>>(o: T): T => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
};

/** A compact object, or undefined when it has no field at all. */
export const compactOrUndefined = <T extends Record<string, unknown>>(o: T): T | undefined => {
  const c = compact(o);
  return Object.keys(c).length === 0 ? undefined : c;
};

/** Attribute values as strings: strings kept, numbers/booleans stringified, others dropped. */
export const attributeValue = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;

/** Sets an attribute, refusing keys that would touch the prototype of a plain object. */
export const setAttribute = (target: Record<string, string>, key: string, value: string | undefined): void => {
  if (value === undefined || key === '__proto__') return;
  target[key] = value;
};

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/** Final guard: the mapped order must satisfy the canonical schema (defaults applied). */
export const finishOrder = (issues: Issues, order: unknown): DomainResult<CanonicalOrder, ParseError> => {
  if (issues.any) return invalidPayload(issues.list);
  const parsed = canonicalOrderSchema.safeParse(order);
  return parsed.success ? ok(parsed.data) : invalidPayload(zodIssues(parsed.error, ['(canonical order)']));
};

export const finishRefund = (issues: Issues, refund: unknown): DomainResult<Refund, ParseError> => {
  if (issues.any) return invalidPayload(issues.list);
  const parsed = refundSchema.safeParse(refund);
  return parsed.success ? ok(parsed.data) : invalidPayload(zodIssues(parsed.error, ['(canonical refund)']));
};

/** Line money: gross, discount (capped at gross) and net = gross − discount, all ≥ 0. */
export const lineMoney = (
  grossMinor: number,
  discountMinor: number,
): { grossMinor: number; discountMinor: number; netMinor: number } => {
  const gross = Math.max(0, grossMinor);
  const discount = Math.min(Math.max(0, discountMinor), gross);
  return { grossMinor: gross, discountMinor: discount, netMinor: gross - discount };
};
