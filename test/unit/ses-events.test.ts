import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/adapters/clock';
import type { LedgerStore } from '../../shared/app/ports/ledger';
import type { Logger } from '../../shared/app/ports/logger';
import type { OutboxStore } from '../../shared/app/ports/outbox';
import { handleSesEvent } from '../../shared/app/ses-event-service';
import type { Suppression } from '../../shared/domain/emails/outbox';
import { sesEventSchema } from '../../shared/schemas/ses-events';

const NOW = '2026-03-10T08:00:00.000Z';
const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

/** Only the store methods the SES event handler may use; anything else fails the test. */
const fakes = () => {
  const suppressed: { shopId: string; emailHash: string; s: Suppression & { hint: string } }[] = [];
  const confirmed: { shopId: string; outboxId: string; messageId: string; at: string }[] = [];
  const deliveries: { shopId: string; outboxId: string; status: string }[] = [];
  const counted: string[] = [];
  const logs: { message: string; data?: Record<string, unknown> }[] = [];
  const unexpected = (name: string) => () => {
    throw new Error(`unexpected call: ${name}`);
  };
  const outbox = {
    async suppress(shopId: string, emailHash: string, s: Suppression & { hint: string }) {
      suppressed.push({ shopId, emailHash, s });
    },
    async confirmSent(shopId: string, outboxId: string, messageId: string, at: string) {
      confirmed.push({ shopId, outboxId, messageId, at });
    },
    async recordDelivery(shopId: string, outboxId: string, d: { status: string }) {
      deliveries.push({ shopId, outboxId, status: d.status });
    },
    async count(shopId: string, _at: string, counter: string) {
      counted.push(`${shopId}/${counter}`);
    },
    get: unexpected('get'),
    claim: unexpected('claim'),
    settle: unexpected('settle'),
    unsuppress: unexpected('unsuppress'),
  } as unknown as OutboxStore;
  const ledger = {
    async cidsByEmailHash() {
      return [];
    },
    async getCustomer() {
      return undefined;
    },
  } as unknown as LedgerStore;
  const log = (message: string, data?: Record<string, unknown>) => {
    logs.push({ message, data });
  };
  const logger: Logger = { debug: log, info: log, warn: log, error: log };
  return { deps: { outbox, ledger, clock: fixedClock(NOW), logger }, suppressed, confirmed, deliveries, counted, logs };
};

const tags = { boomerang_shop: ['shop-1'], boomerang_outbox: ['01OUTBOX'], boomerang_type: ['tier_up'] };
const event = (raw: Record<string, unknown>) => sesEventSchema.parse(raw);
const mail = (over: Record<string, unknown> = {}) => ({
  messageId: 'ses-msg-1',
  timestamp: '2026-03-10T07:59:00.000Z',
  destination: ['"Ann" <Ann@Example.com>'],
  tags,
  ...over,
});

describe('handleSesEvent', () => {
  it('suppresses every recipient of a permanent bounce for all e-mail, keyed by the hash of the normalised address', async () => {
    const f = fakes();
    const out = await handleSesEvent(
      f.deps,
      event({
        eventType: 'Bounce',
        mail: mail({ destination: ['Ann@Example.com', 'bo@example.org'] }),
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            { emailAddress: '"Ann Andersen" <Ann@Example.com>', status: '5.1.1' },
            { emailAddress: ' bo@example.org ' },
          ],
        },
      }),
    );
    expect(out).toBe('suppressed');
    expect(f.suppressed).toEqual([
      {
        shopId: 'shop-1',
        emailHash: sha256('ann@example.com'),
        s: { scope: 'all', reason: 'bounce', at: NOW, hint: 'a•••@example.com' },
      },
      {
        shopId: 'shop-1',
        emailHash: sha256('bo@example.org'),
        s: { scope: 'all', reason: 'bounce', at: NOW, hint: 'b•••@example.org' },
      },
    ]);
    expect(f.confirmed).toEqual([]);
    // The log says how many, never who.
    expect(JSON.stringify(f.logs)).not.toMatch(/example\.(com|org)/);
  });

  it('ignores transient and undetermined bounces: the mailbox may recover', async () => {
    for (const bounceType of ['Transient', 'Undetermined']) {
      const f = fakes();
      const out = await handleSesEvent(
        f.deps,
        event({
          eventType: 'Bounce',
          mail: mail(),
          bounce: {
            bounceType,
            bounceSubType: 'MailboxFull',
            bouncedRecipients: [{ emailAddress: 'ann@example.com' }],
          },
        }),
      );
      expect(out).toBe('ignored');
      expect(f.suppressed).toEqual([]);
    }
  });

  it('suppresses the complaining recipients for all e-mail', async () => {
    const f = fakes();
    const out = await handleSesEvent(
      f.deps,
      event({
        eventType: 'Complaint',
        mail: mail({ destination: ['someone-else@example.com'] }),
        complaint: { complainedRecipients: [{ emailAddress: 'Ann@Example.com' }], complaintFeedbackType: 'abuse' },
      }),
    );
    expect(out).toBe('suppressed');
    expect(f.suppressed).toEqual([
      {
        shopId: 'shop-1',
        emailHash: sha256('ann@example.com'),
        s: { scope: 'all', reason: 'complaint', at: NOW, hint: 'a•••@example.com' },
      },
    ]);
  });

  it('falls back to the destination for a complaint that names no recipients', async () => {
    const f = fakes();
    await handleSesEvent(f.deps, event({ eventType: 'Complaint', mail: mail() }));
    expect(f.suppressed.map((x) => [x.emailHash, x.s.reason, x.s.hint])).toEqual([
      [sha256('ann@example.com'), 'complaint', 'a•••@example.com'],
    ]);
  });

  it('a Send event settles the outbox item named by its tag as sent', async () => {
    const f = fakes();
    expect(await handleSesEvent(f.deps, event({ eventType: 'Send', mail: mail() }))).toBe('confirmed');
    expect(f.confirmed).toEqual([
      { shopId: 'shop-1', outboxId: '01OUTBOX', messageId: 'ses-msg-1', at: '2026-03-10T07:59:00.000Z' },
    ]);
    expect(f.suppressed).toEqual([]);
  });

  it("a Send event without a timestamp is settled at the clock's now; one without an outbox tag is ignored", async () => {
    const f = fakes();
    await handleSesEvent(f.deps, event({ eventType: 'Send', mail: mail({ timestamp: undefined }) }));
    expect(f.confirmed.map((c) => c.at)).toEqual([NOW]);
    const g = fakes();
    expect(
      await handleSesEvent(g.deps, event({ eventType: 'Send', mail: mail({ tags: { boomerang_shop: ['shop-1'] } }) })),
    ).toBe('ignored');
    expect(g.confirmed).toEqual([]);
  });

  it('ignores events from mail Boomerang did not send for a shop', async () => {
    const untagged = [
      event({ eventType: 'Send', mail: mail({ tags: { boomerang_outbox: ['01OUTBOX'] } }) }),
      event({
        eventType: 'Bounce',
        mail: mail({ tags: {} }),
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ann@example.com' }] },
      }),
      event({
        eventType: 'Complaint',
        mail: mail({ tags: undefined }),
        complaint: { complainedRecipients: [{ emailAddress: 'ann@example.com' }] },
      }),
      event({ eventType: 'Complaint', mail: mail({ tags: { boomerang_shop: [] } }) }),
    ];
    for (const e of untagged) {
      const f = fakes();
      expect(await handleSesEvent(f.deps, e)).toBe('ignored');
      expect(f.suppressed).toEqual([]);
      expect(f.confirmed).toEqual([]);
    }
  });

  it('notes deliveries, bounces and complaints on the outbox item', async () => {
    const f = fakes();
    expect(await handleSesEvent(f.deps, event({ eventType: 'Delivery', mail: mail() }))).toBe('delivered');
    await handleSesEvent(
      f.deps,
      event({
        eventType: 'Bounce',
        mail: mail(),
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ann@example.com' }] },
      }),
    );
    await handleSesEvent(
      f.deps,
      event({
        eventType: 'Complaint',
        mail: mail(),
        complaint: { complainedRecipients: [{ emailAddress: 'ann@example.com' }] },
      }),
    );
    expect(f.deliveries).toEqual(
      ['delivered', 'bounced', 'complained'].map((status) => ({ shopId: 'shop-1', outboxId: '01OUTBOX', status })),
    );
    expect(f.counted).toEqual(['shop-1/tier_up:delivered', 'shop-1/tier_up:bounced', 'shop-1/tier_up:complained']);
  });

  it('ignores event types it does not act on', async () => {
    for (const eventType of ['Open', 'Click', 'Reject', 'DeliveryDelay']) {
      const f = fakes();
      expect(await handleSesEvent(f.deps, event({ eventType, mail: mail() }))).toBe('ignored');
      expect(f.suppressed).toEqual([]);
      expect(f.confirmed).toEqual([]);
    }
  });
});
