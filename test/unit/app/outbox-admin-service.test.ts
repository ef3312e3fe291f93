import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import {
  listOutbox,
  readUnsubscribeLink,
  retryOutboxItem,
  suppressManually,
  unsubscribe,
  unsuppressAddress,
} from '../../../shared/app/outbox-admin-service';
import type { OutboxStore } from '../../../shared/app/ports/outbox';
import { emailHash } from '../../../shared/domain/customers/identity';
import type { OutboxItem, Suppression } from '../../../shared/domain/emails/outbox';
import { signUnsubscribeToken } from '../../../shared/domain/emails/unsubscribe-token';
import type { Shop } from '../../../shared/domain/shop';
import { memoryLedgerStore } from '../../support/memory-ledger-store';

const at = '2026-05-01T12:00:00.000Z';
const clock = fixedClock(at);
const shop = { id: 's', name: 'Snow', locale: 'en' } as Shop;

const item = (over: Partial<OutboxItem>): OutboxItem =>
  ({
    shopId: 's',
    outboxId: '01J',
    cid: 'i.1',
    type: 'tier_up',
    category: 'transactional',
    data: {} as never,
    createdAt: at,
    dueAt: at,
    status: 'failed',
    attempts: 3,
    ...over,
  }) as OutboxItem;

/** The parts of the outbox the admin use cases touch, in memory. */
const memoryOutbox = () => {
  const items = new Map<string, OutboxItem>();
  const suppressions = new Map<string, Suppression & { hint: string }>();
  const counters: string[] = [];
  const outbox = {
    async get(_s: string, id: string) {
      return structuredClone(items.get(id));
    },
    async requeue(_s: string, id: string, now: string) {
      const i = items.get(id);
      if (i?.status !== 'failed') return undefined;
      const next = { ...i, status: 'pending' as const, dueAt: now, requeuedAt: now };
      items.set(id, next);
      return structuredClone(next);
    },
    async list() {
      return { items: [...items.values()] };
    },
    async suppress(_s: string, hash: string, s: Suppression & { hint: string }) {
      suppressions.set(hash, s);
    },
    async unsuppress(_s: string, hash: string) {
      return suppressions.delete(hash);
    },
    async count(_s: string, day: string, counter: string) {
      counters.push(`${day} ${counter}`);
    },
  } as unknown as OutboxStore;
  return { outbox, items, suppressions, counters };
};

describe('outbox admin', () => {
  it('retries only a failed item, and shows items without their claim', async () => {
    const m = memoryOutbox();
    m.items.set('01J', item({ claim: 'sender-1' }));
    m.items.set('01K', item({ outboxId: '01K', status: 'sent' }));
    expect(await retryOutboxItem({ outbox: m.outbox, clock }, 's', '01X')).toEqual({
      ok: false,
      error: { kind: 'not_found' },
    });
    expect(await retryOutboxItem({ outbox: m.outbox, clock }, 's', '01K')).toEqual({
      ok: false,
      error: { kind: 'not_failed' },
    });
    const r = await retryOutboxItem({ outbox: m.outbox, clock }, 's', '01J');
    expect(r).toMatchObject({ ok: true, value: { outboxId: '01J', status: 'pending', requeuedAt: at } });
    expect(r.ok && 'claim' in r.value).toBe(false);
    const page = await listOutbox(m.outbox, 's', { limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.items.some((i) => 'claim' in i)).toBe(false);
  });

  it('suppresses by hand with a masked hint, and unsuppresses only what is listed', async () => {
    const m = memoryOutbox();
    const deps = { outbox: m.outbox, ledger: memoryLedgerStore().store, clock };
    expect(await suppressManually(deps, 's', 'Anna@Example.com', 'marketing')).toEqual({
      emailHash: emailHash('anna@example.com'),
      hint: 'a•••@example.com',
      scope: 'marketing',
      reason: 'manual',
    });
    expect(m.suppressions.get(emailHash('anna@example.com'))).toEqual({
      scope: 'marketing',
      reason: 'manual',
      at,
      hint: 'a•••@example.com',
    });
    expect(await unsuppressAddress(m.outbox, 's', 'anna@example.com')).toEqual({ ok: true, value: undefined });
    expect(await unsuppressAddress(m.outbox, 's', 'anna@example.com')).toEqual({
      ok: false,
      error: { kind: 'not_found' },
    });
  });

  it('an unsubscribe link names its shop only while the signature holds and the shop exists; unsubscribing suppresses and counts', async () => {
    const secret = Buffer.alloc(32, 7);
    const claims = { shopId: 's', emailHash: emailHash('anna@example.com'), scope: 'all' as const };
    const token = signUnsubscribeToken(secret, claims);
    const shops = { get: async (id: string) => (id === 's' ? shop : undefined) };
    expect(await readUnsubscribeLink({ secret, shops }, token)).toEqual({ claims, shop });
    expect(await readUnsubscribeLink({ secret: Buffer.alloc(32, 8), shops }, token)).toEqual({});
    expect(await readUnsubscribeLink({ secret, shops: { get: async () => undefined } }, token)).toEqual({ claims });

    const m = memoryOutbox();
    await unsubscribe({ outbox: m.outbox, ledger: memoryLedgerStore().store, clock }, shop, claims);
    expect(m.suppressions.get(claims.emailHash)).toEqual({
      scope: 'all',
      reason: 'unsubscribe',
      at,
      hint: '(unknown)',
    });
    expect(m.counters).toEqual([`${at} unsubscribe:all`]);
  });
});
