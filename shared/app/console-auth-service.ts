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
  /**
   * Sign-in requests per client address, per e-mail address from one client (so a stranger
   * cannot spend a user's allowance), and per e-mail address overall (a looser cap).
   */
  limits: { perClient: TokenBuckets; perEmailAndClient: TokenBuckets; perEmail: TokenBuckets };
  /** The console's own sender (BOOMERANG_CONSOLE_SENDER); else the sender of the user's first shop. */
  sender?: string;
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
  const hash = emailHash(email);
  for (const [buckets, key] of [
    [deps.limits.perClient, input.client],
    [deps.limits.perEmailAndClient, `${hash}|${input.client}`],
    [deps.limits.perEmail, hash],
  ] as const) {
    const taken = buckets.take(key, nowMs);
    if (!taken.ok) return err({ kind: 'rate_limited', retryAfterSeconds: taken.retryAfterSeconds });
  }
  const memberships = await deps.users.listByEmail(email);
  // The shop the address joined first speaks for it: any owner can add an address to their own
  // shop, so a later membership must not choose the sender (or, with an unverified one, block the mail).
  const first = [...memberships].sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
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
    await deps.mailer.send({
      from: deps.sender ?? fromAddress(shop),
      to: [email],
      ...message,
      tags: { kind: 'console_sign_in' },
    });
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
