import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import type { SesEvent } from '../schemas/ses-events';
import { suppress, type SuppressionDeps } from './email-service';

export type SesEventOutcome = 'suppressed' | 'confirmed' | 'delivered' | 'ignored';

const tag = (e: SesEvent, name: string) => e.mail.tags[name]?.[0];

/** Addresses look like `"Name" <a@b.c>` or `a@b.c`. */
const address = (raw: string) => /<([^>]+)>/.exec(raw)?.[1] ?? raw.trim();

/**
 * One SES event. Bounces that are permanent and complaints put the address on the sending
 * shop's suppression list (transient bounces do not: the mailbox may recover), and with
 * deliveries are noted on the outbox item for the shop to see. A send event
 * settles its outbox item as sent — which is how a send whose sender stopped before recording
 * it is recognised, rather than sent again.
 */
export const handleSesEvent = async (
  deps: SuppressionDeps & { clock: Clock; logger: Logger },
  e: SesEvent,
): Promise<SesEventOutcome> => {
  const shopId = tag(e, 'boomerang_shop');
  const outboxId = tag(e, 'boomerang_outbox');
  const type = tag(e, 'boomerang_type');
  if (!shopId) return 'ignored';
  const at = deps.clock.now().toISOString();
  const count = async (event: string) => {
    if (outboxId && type) await deps.outbox.count(shopId, at, `${type}:${event}`);
  };
  switch (e.eventType) {
    case 'Send':
      if (!outboxId) return 'ignored';
      await deps.outbox.confirmSent(shopId, outboxId, e.mail.messageId, e.mail.timestamp ?? at);
      return 'confirmed';
    case 'Delivery':
      if (!outboxId) return 'ignored';
      await deps.outbox.recordDelivery(shopId, outboxId, { status: 'delivered', at });
      await count('delivered');
      return 'delivered';
    case 'Bounce': {
      if (e.bounce?.bounceType !== 'Permanent') return 'ignored';
      if (outboxId) await deps.outbox.recordDelivery(shopId, outboxId, { status: 'bounced', at });
      await count('bounced');
      for (const r of e.bounce.bouncedRecipients)
        await suppress(deps, shopId, { email: address(r.emailAddress) }, { scope: 'all', reason: 'bounce', at });
      deps.logger.info('bounce suppressed', { shopId, recipients: e.bounce.bouncedRecipients.length });
      return 'suppressed';
    }
    case 'Complaint': {
      const listed = e.complaint?.complainedRecipients.map((r) => r.emailAddress) ?? [];
      // A complaint that names nobody is about the message: suppress everyone it went to.
      const recipients = listed.length ? listed : e.mail.destination;
      if (outboxId) await deps.outbox.recordDelivery(shopId, outboxId, { status: 'complained', at });
      await count('complained');
      for (const r of recipients)
        await suppress(deps, shopId, { email: address(r) }, { scope: 'all', reason: 'complaint', at });
      deps.logger.info('complaint suppressed', { shopId, recipients: recipients.length });
      return 'suppressed';
    }
    default:
      return 'ignored';
  }
};
