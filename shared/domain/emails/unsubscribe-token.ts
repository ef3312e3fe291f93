import * as z from 'zod';
import { secretFor, signClaims, verifyClaims } from '../signed-token';

/**
 * The unsubscribe link in every e-mail names the shop, the recipient (by e-mail hash, never
 * the address) and what they leave: `marketing` from a win-back e-mail, `all` from the
 * program's other e-mails. It does not expire: an unsubscribe link must keep working for
 * as long as the e-mail sits in an inbox.
 */
export const unsubscribeSecretFrom = (operatorKey: string): Buffer => secretFor(operatorKey, 'unsubscribe/v1');

const claimsSchema = z.object({
  s: z.string().min(1).max(63),
  h: z.string().regex(/^[0-9a-f]{64}$/),
  c: z.enum(['all', 'marketing']),
  l: z.string().max(8).optional(),
});

export interface UnsubscribeClaims {
  shopId: string;
  emailHash: string;
  scope: 'all' | 'marketing';
  /** Language of the page the link opens. */
  locale?: string;
}

export const signUnsubscribeToken = (secret: Buffer, c: UnsubscribeClaims): string =>
  signClaims(secret, { s: c.shopId, h: c.emailHash, c: c.scope, ...(c.locale ? { l: c.locale } : {}) });

export const verifyUnsubscribeToken = (
  secret: Buffer,
  token: string,
): { ok: true; claims: UnsubscribeClaims } | { ok: false; reason: 'malformed' | 'bad_signature' } => {
  const checked = verifyClaims(secret, token);
  if (!checked.ok) return checked;
  const parsed = claimsSchema.safeParse(checked.claims);
  if (!parsed.success) return { ok: false, reason: 'malformed' };
  const { s, h, c, l } = parsed.data;
  return { ok: true, claims: { shopId: s, emailHash: h, scope: c, ...(l ? { locale: l } : {}) } };
};
