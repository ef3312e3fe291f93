import { recordAudit, type AuditRecord } from '../app/audit-service';
import { auditDeps } from '../wiring/console-runtime';
import type { Runtime } from '../wiring/current-runtime';
import { actorOf, type Principal } from './auth';

/**
 * Records a committed change in the shop's audit log (docs/console.md, "Audit log"). Called after
 * the change succeeded; a failed audit write is logged, never turned into an error of the change.
 * Never pass secrets: entries are shown to the shop's owners.
 */
export const audit = async (
  rt: Runtime,
  principal: Principal,
  shop: { id: string },
  entry: Omit<AuditRecord, 'shopId' | 'actor'>,
): Promise<void> => {
  try {
    await recordAudit(auditDeps(rt), { shopId: shop.id, actor: actorOf(principal), ...entry });
  } catch (e) {
    rt.logger.error('audit entry not written', { shopId: shop.id, action: entry.action, error: String(e) });
  }
};
