import { createHash } from 'node:crypto';

/** E-mail as a customer key: trimmed and lower-cased (fraud rules normalise further). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const emailHash = (email: string): string =>
  createHash('sha256').update(normalizeEmail(email), 'utf8').digest('hex');

/**
 * A customer's id within a shop: the platform's customer id when there is one, else (guest
 * checkout) a hash of the e-mail, so guests earn too and no address appears in a key.
 */
export const cidFor = (who: { id?: string; email?: string }): string | undefined => {
  if (who.id) return `i.${who.id}`;
  if (who.email && who.email.includes('@')) return `e.${emailHash(who.email)}`;
  return undefined;
};

/** `customerRef` of the admin API: an e-mail address, or the platform's customer id. */
export const isEmailRef = (ref: string): boolean => ref.includes('@');
