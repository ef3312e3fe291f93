/** Errors as values at the domain edge: handlers map `err` kinds to HTTP statuses. */
export type DomainResult<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
