import type { Logger } from './ports/logger';
import type { Mailer } from './ports/mailer';
import type { TokenBuckets } from './rate-limit';
import { signInMessage } from '../domain/console/sign-in-mail';
import { linkTtlMs, linkUsable, newSession, type ConsoleSession } from '../domain/console/session';
import type { ConsoleSessionDeps } from './console-session-service';
import { emailHash, normalizeEmail } from '../domain/customers/identity';
import { err, ok, type DomainResult } from '../domain/result';
import { fromAddress } from './email-service';

export interface ConsoleAuthDeps extends ConsoleSessionDeps {
  mailer: Mailer;
  logger: Logger;
  /** 32 random bytes, base64url: link tokens, session cookies, CSRF tokens. */
  newToken: () => string;
  /** Sign-in requests per client address and per e-mail address. */
  limits: { perClient: TokenBuckets; perEmail: TokenBuckets };
  /** e.g. https://loyalty.example.com — the link goes to `${baseUrl}/console/auth/verify`. */
  baseUrl: string;
}

/**
 * Mails a sign-in link when the address is a user of some shop. The answer is the same either
 * way (no account enumeration); only the rate limits answer differently, and they count every
 * request, known address or not.
 */
export const requestSignIn = async (
  deps: ConsoleAuthDeps,
  input: { email: string; client: string },
): Promise<DomainResult<void, { kind: 'rate_limited'; retryAfterSeconds: number }>> => {
  const email = normalizeEmail(input.email);
  const nowMs = deps.clock.now().getTime();
  for (const [buckets, key] of [
    [deps.limits.perClient, input.client],
    [deps.limits.perEmail, emailHash(email)],
  ] as const) {
    const taken = buckets.take(key, nowMs);
    if (!taken.ok) return err({ kind: 'rate_limited', retryAfterSeconds: taken.retryAfterSeconds });
  }
  const memberships = await deps.users.listByEmail(email);
  const first = memberships[0];
  const shop = first && (await deps.shops.get(first.shopId));
  if (!shop) return ok(undefined);
  const token = deps.newToken();
  const createdAt = new Date(nowMs).toISOString();
  await deps.sessions.putLink({
    tokenHash: deps.hash(token),
    email,
    createdAt,
    expiresAt: new Date(nowMs + linkTtlMs).toISOString(),
  });
  const link = `${deps.baseUrl}/console/auth/verify?token=${encodeURIComponent(token)}`;
  const message = signInMessage(
    shop.locale.toLowerCase().startsWith('da') ? 'da' : 'en',
    link,
    memberships.length > 1 ? undefined : shop.name,
  );
  try {
    await deps.mailer.send({ from: fromAddress(shop), to: [email], ...message, tags: { kind: 'console_sign_in' } });
  } catch (e) {
    // Still 202: a different answer would tell the caller the address is a user.
    deps.logger.error('console sign-in e-mail failed', { error: (e as Error).message });
  }
  return ok(undefined);
};

/** Trades a link for a session; a link works once and for 15 minutes. Returns the cookie value. */
export const verifySignIn = async (
  deps: ConsoleAuthDeps,
  token: string,
): Promise<DomainResult<{ cookie: string; session: ConsoleSession }, { kind: 'invalid_link' }>> => {
  const nowMs = deps.clock.now().getTime();
  const link = await deps.sessions.takeLink(deps.hash(token));
  if (!link || !linkUsable(link, nowMs)) return err({ kind: 'invalid_link' });
  const memberships = await deps.users.listByEmail(link.email);
  if (memberships.length === 0) return err({ kind: 'invalid_link' });
  const cookie = deps.newToken();
  const session = newSession({ idHash: deps.hash(cookie), email: link.email, csrfToken: deps.newToken() }, nowMs);
  await deps.sessions.putSession(session);
  const at = session.createdAt;
  await Promise.all(memberships.map((m) => deps.users.touchSignIn(m.shopId, m.userId, at).catch(() => undefined)));
  return ok({ cookie, session });
};
