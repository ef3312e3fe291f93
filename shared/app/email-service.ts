import type { LedgerStore } from './ports/ledger';
import type { OutboxStore } from './ports/outbox';
import { emailHash, normalizeEmail } from '../domain/customers/identity';
import type { Suppression } from '../domain/emails/outbox';
import {
  renderEmail,
  resolveLocale,
  sampleEmailData,
  type RenderContext,
  type RenderedEmail,
} from '../domain/emails/templates';
import type { EmailType } from '../domain/emails/types';
import { emailTypes } from '../schemas/program';
import type { Shop } from '../domain/shop';
import type { Mailer } from './ports/mailer';

/** The shop's sender, with its display name (quotes and line breaks cannot break out of the header). */
export const fromAddress = (shop: Shop): string => {
  const name = (shop.program.emails.branding.fromName ?? shop.name).replace(/["\\\r\n]/g, '');
  return `"${name}" <${shop.senderEmail}>`;
};

/** Enough of an address for a marketer to recognise it, not enough to harvest: "a•••@example.com". */
export const maskEmail = (email: string): string => {
  const [local = '', domain = ''] = normalizeEmail(email).split('@');
  return `${local.slice(0, 1)}•••@${domain}`;
};

/**
 * What the templates read of a shop and the recipient: the one way both the sender and the preview render.
 * `loyaltyPageUrl` only for a real customer (the sender); previews and test sends link to the storefront.
 */
export const renderContext = (
  shop: Shop,
  firstName: string | undefined,
  unsubscribeUrl: string,
  loyaltyPageUrl?: string,
): RenderContext => ({
  shop: { name: shop.name, storefrontUrl: shop.storefrontUrl, currency: shop.currency, timezone: shop.timezone },
  settings: shop.program.emails,
  customer: firstName ? { firstName } : {},
  unsubscribeUrl,
  ...(loyaltyPageUrl ? { loyaltyPageUrl } : {}),
});

/** One e-mail type rendered with sample data, exactly as the sender would render it. */
export const previewEmail = (
  shop: Shop,
  type: EmailType,
  locale: string | undefined,
  baseUrl: string,
  now: Date,
): RenderedEmail => {
  const lang = resolveLocale(locale, shop.locale);
  return renderEmail(
    type,
    lang,
    sampleEmailData(type, shop.currency, now) as never,
    renderContext(shop, lang === 'da' ? 'Mette' : 'Anna', `${baseUrl}/unsubscribe/preview`),
  );
};

export interface SuppressionDeps {
  outbox: OutboxStore;
  ledger: LedgerStore;
}

/**
 * Adds an address to the shop's suppression list, which every send checks. Only the hash is
 * the key; the masked hint is for people reading the list, taken from the address when we
 * have it, else from a customer who has it.
 */
export const suppress = async (
  deps: SuppressionDeps,
  shopId: string,
  who: { email: string } | { emailHash: string },
  s: Suppression,
): Promise<{ emailHash: string; hint: string }> => {
  const hash = 'email' in who ? emailHash(who.email) : who.emailHash;
  let hint = 'email' in who ? maskEmail(who.email) : '';
  if (!hint) {
    const [cid] = await deps.ledger.cidsByEmailHash(shopId, hash);
    const c = cid ? await deps.ledger.getCustomer(shopId, cid) : undefined;
    hint = c?.email ? maskEmail(c.email) : '(unknown)';
  }
  await deps.outbox.suppress(shopId, hash, { ...s, hint });
  return { emailHash: hash, hint };
};

/**
 * A sample of one e-mail type, sent now to one of the shop's own addresses (never a customer:
 * the API key must not be a way to mail strangers). It bypasses the outbox — it is a preview,
 * not a customer message — and is marked [TEST] in the subject.
 */
export const sendTestEmail = async (
  mailer: Mailer,
  shop: Shop,
  type: EmailType,
  input: { to?: string; locale?: string },
  baseUrl: string,
  now: Date,
): Promise<{ ok: true; to: string; messageId?: string } | { ok: false; reason: 'not_own_address' }> => {
  const own = [shop.senderEmail, ...shop.marketerEmails].map(normalizeEmail);
  const to = normalizeEmail(input.to ?? shop.senderEmail);
  if (!own.includes(to)) return { ok: false, reason: 'not_own_address' };
  const rendered = previewEmail(shop, type, input.locale, baseUrl, now);
  const { messageId } = await mailer.send({
    from: fromAddress(shop),
    to: [to],
    subject: `[TEST] ${rendered.subject}`,
    html: rendered.html,
    text: rendered.text,
    tags: { boomerang_shop: shop.id, boomerang_type: `test_${type}` },
  });
  return { ok: true, to, ...(messageId ? { messageId } : {}) };
};

const events = ['sent', 'skipped', 'failed', 'delivered', 'bounced', 'complained'] as const;
type TypeFigures = Record<(typeof events)[number], number> & { deliveryRate: number | null };

/**
 * The shop's e-mail figures over a range of days, per type: sent, skipped (suppressed, no
 * consent, switched off …), failed, and what SES reported after sending (delivered, bounced,
 * complained; AWS only), plus unsubscribes by scope. `deliveryRate` = delivered ÷ sent.
 */
export const emailStats = (days: Record<string, number>[], from: string, to: string) => {
  const byType = Object.fromEntries(
    emailTypes.map((t) => [t, Object.fromEntries(events.map((e) => [e, 0]))]),
  ) as Record<EmailType, TypeFigures>;
  const unsubscribes = { all: 0, marketing: 0 };
  for (const day of days) {
    for (const [counter, n] of Object.entries(day)) {
      const [kind, event] = counter.split(':') as [string, string];
      if (kind === 'unsubscribe' && (event === 'all' || event === 'marketing')) unsubscribes[event] += n;
      const figures = byType[kind as EmailType];
      if (figures && (events as readonly string[]).includes(event)) figures[event as (typeof events)[number]] += n;
    }
  }
  for (const f of Object.values(byType))
    f.deliveryRate = f.sent && f.delivered ? Math.round((f.delivered / f.sent) * 10_000) / 10_000 : null;
  const totals = Object.fromEntries(events.map((e) => [e, Object.values(byType).reduce((s, f) => s + f[e], 0)]));
  return { from, to, totals, byType, unsubscribes };
};
