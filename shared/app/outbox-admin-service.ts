import { emailHash } from '../domain/customers/identity';
import type { OutboxItem, OutboxStatus, Suppression } from '../domain/emails/outbox';
import { verifyUnsubscribeToken, type UnsubscribeClaims } from '../domain/emails/unsubscribe-token';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { emailStats, suppress, type SuppressionDeps } from './email-service';
import type { Clock } from './ports/clock';
import type { OutboxStore } from './ports/outbox';

/**
 * The shop's view of its e-mail outbox and suppression list (`/admin/shops/{shopId}/outbox`,
 * `…/suppressions`, `…/emails/stats`) and the public unsubscribe link.
 */
export interface OutboxAdminDeps extends SuppressionDeps {
  clock: Clock;
}

/** An item as the API shows it: without the sender's claim. */
const shown = ({ claim: _c, ...item }: OutboxItem) => item;

/** Sends, failures, unsubscribes… per day and type, from `from` to `to` (UTC days, inclusive). */
export const outboxStats = async (outbox: Pick<OutboxStore, 'dayCounts'>, shopId: string, from: string, to: string) =>
  emailStats(await outbox.dayCounts(shopId, from, to), from, to);

/** One page of the outbox, newest first, optionally of one status. */
export const listOutbox = async (
  outbox: Pick<OutboxStore, 'list'>,
  shopId: string,
  page: { status?: OutboxStatus; limit: number; cursor?: string },
) => {
  const found = await outbox.list(shopId, page);
  return { items: found.items.map(shown), nextCursor: found.nextCursor ?? null };
};

export type RetryError = { kind: 'not_found' } | { kind: 'not_failed' };

/** After fixing what made it fail (a sender identity, a template), a failed e-mail is sent again. */
export const retryOutboxItem = async (
  deps: { outbox: Pick<OutboxStore, 'requeue' | 'get'>; clock: Clock },
  shopId: string,
  outboxId: string,
): Promise<DomainResult<ReturnType<typeof shown>, RetryError>> => {
  const item = await deps.outbox.requeue(shopId, outboxId, deps.clock.now().toISOString());
  if (item) return ok(shown(item));
  return err((await deps.outbox.get(shopId, outboxId)) ? { kind: 'not_failed' } : { kind: 'not_found' });
};

/** One page of the suppression list. */
export const listSuppressions = async (
  outbox: Pick<OutboxStore, 'listSuppressions'>,
  shopId: string,
  page: { limit: number; cursor?: string },
) => {
  const found = await outbox.listSuppressions(shopId, page);
  return { items: found.items, nextCursor: found.nextCursor ?? null };
};

/** The shop suppresses an address by hand. */
export const suppressManually = async (
  deps: OutboxAdminDeps,
  shopId: string,
  email: string,
  scope: Suppression['scope'],
) => {
  const added = await suppress(
    deps,
    shopId,
    { email },
    { scope, reason: 'manual', at: deps.clock.now().toISOString() },
  );
  return { ...added, scope, reason: 'manual' as const };
};

/** Takes an address off the list; `not_found` when it was not on it. */
export const unsuppressAddress = async (
  outbox: Pick<OutboxStore, 'unsuppress'>,
  shopId: string,
  email: string,
): Promise<DomainResult<void, { kind: 'not_found' }>> =>
  (await outbox.unsuppress(shopId, emailHash(email))) ? ok(undefined) : err({ kind: 'not_found' });

/** An unsubscribe link's claims, when its signature holds, and its shop, when that still exists. */
export const readUnsubscribeLink = async (
  deps: { secret: Buffer; shops: { get(shopId: string): Promise<Shop | undefined> } },
  token: string,
): Promise<{ claims?: UnsubscribeClaims; shop?: Shop }> => {
  const checked = verifyUnsubscribeToken(deps.secret, token);
  if (!checked.ok) return {};
  const shop = await deps.shops.get(checked.claims.shopId);
  return { claims: checked.claims, ...(shop ? { shop } : {}) };
};

/** The recipient unsubscribes (the page's button or RFC 8058 one-click): suppressed and counted. */
export const unsubscribe = async (deps: OutboxAdminDeps, shop: Shop, claims: UnsubscribeClaims): Promise<void> => {
  const at = deps.clock.now().toISOString();
  await suppress(deps, shop.id, { emailHash: claims.emailHash }, { scope: claims.scope, reason: 'unsubscribe', at });
  await deps.outbox.count(shop.id, at, `unsubscribe:${claims.scope}`);
};
