import type { AuditQuery } from '../schemas/console';
import type { Actor, AuditEntry, AuditStore } from './ports/audit';
import type { Clock } from './ports/clock';
import type { NewId } from './ports/ids';

/** The shop's audit log: who changed what (docs/console.md, "Audit log"). */
export interface AuditDeps {
  audit: AuditStore;
  clock: Clock;
  newId: NewId;
}

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

/** Appends one entry, stamped now with a new time-ordered id. */
export const recordAudit = async (deps: AuditDeps, record: AuditRecord): Promise<AuditEntry> => {
  const entry: AuditEntry = { ...record, id: deps.newId(), at: deps.clock.now().toISOString() };
  await deps.audit.append(entry);
  return entry;
};

/** An entry as the API shows it: the actor without internal ids. */
export const publicAuditEntry = (e: AuditEntry) => ({
  id: e.id,
  at: e.at,
  actor: publicActor(e.actor),
  action: e.action,
  target: e.target ?? null,
  summary: e.summary,
  ...(e.diff ? { diff: e.diff } : {}),
  ...(e.details ? { details: e.details } : {}),
});

const publicActor = (a: Actor) => ({
  kind: a.kind,
  label: a.label,
  ...(a.email !== undefined ? { email: a.email } : {}),
  ...(a.role !== undefined ? { role: a.role } : {}),
});

/** A page of the log, newest first. */
export const listAudit = async (deps: Pick<AuditDeps, 'audit'>, shopId: string, query: AuditQuery) => {
  const page = await deps.audit.list(shopId, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.action ? { action: query.action } : {}),
  });
  return { items: page.items.map(publicAuditEntry), nextCursor: page.nextCursor ?? null };
};
