import type { AuditDeps } from '../app/audit-service';
import type { UserDeps } from '../app/user-service';
import type { AuditStore } from '../app/ports/audit';
import type { UserStore } from '../app/ports/users';
import { dynamoAuditStore } from '../adapters/audit-store';
import { newId } from '../adapters/ids';
import { mailerFor } from '../adapters/mailer';
import { random } from '../adapters/random';
import { sleep } from '../adapters/sleep';
import { dynamoUserStore } from '../adapters/user-store';
import { publicBaseUrl, type Runtime } from './current-runtime';

/**
 * The console's stores (users, audit log), built from the process runtime: only the functions
 * that use them (users, console sign-in, the handlers that write audit entries) bundle them.
 */
export const userStore = (rt: Runtime): UserStore => dynamoUserStore(rt.table, rt.tableName);

export const auditStore = (rt: Runtime): AuditStore => dynamoAuditStore(rt.table, rt.tableName);

export const auditDeps = (rt: Runtime): AuditDeps => ({ audit: auditStore(rt), clock: rt.clock, newId });

/**
 * The users' routes: the store, and the mailer and link of the invitation (`baseUrl`: the request's,
 * see shared/http/links.ts; else the configured one).
 */
export const userDeps = (rt: Runtime, baseUrl?: string): UserDeps => ({
  users: userStore(rt),
  mailer: mailerFor(rt),
  clock: rt.clock,
  newId,
  random,
  sleep,
  logger: rt.logger,
  consoleUrl: `${publicBaseUrl(rt, baseUrl)}/console`,
});
