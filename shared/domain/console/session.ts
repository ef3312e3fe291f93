/**
 * Console sign-in lifetimes (docs/console.md): a magic link lives 15 minutes and works once; a
 * session ends after 12 idle hours or 7 days, whichever comes first.
 */
export const linkTtlMs = 15 * 60_000;
export const sessionIdleMs = 12 * 3600_000;
export const sessionAbsoluteMs = 7 * 24 * 3600_000;
/** A session's last-seen time is written at most this often: most requests then cost no write. */
export const touchEveryMs = 5 * 60_000;

export interface ConsoleSession {
  /** SHA-256 of the cookie value; the value itself is never stored. */
  idHash: string;
  /** Lower-cased; sessions belong to an address, which may be a user of several shops. */
  email: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** createdAt + 7 days. */
  expiresAt: string;
}

export interface LoginLink {
  tokenHash: string;
  email: string;
  createdAt: string;
  expiresAt: string;
}

export type SessionState = { kind: 'active'; touch: boolean; idleExpiresAt: string } | { kind: 'expired' };

/** Whether the session may be used at `now`, and whether its last-seen time is due a write. */
export const sessionState = (s: ConsoleSession, nowMs: number): SessionState => {
  const lastSeen = Date.parse(s.lastSeenAt);
  if (nowMs >= Date.parse(s.expiresAt) || nowMs >= lastSeen + sessionIdleMs) return { kind: 'expired' };
  const touch = nowMs - lastSeen >= touchEveryMs;
  const idleFrom = touch ? nowMs : lastSeen;
  const idleExpiresAt = new Date(Math.min(idleFrom + sessionIdleMs, Date.parse(s.expiresAt))).toISOString();
  return { kind: 'active', touch, idleExpiresAt };
};

export const newSession = (
  input: { idHash: string; email: string; csrfToken: string },
  nowMs: number,
): ConsoleSession => {
  const at = new Date(nowMs).toISOString();
  return { ...input, createdAt: at, lastSeenAt: at, expiresAt: new Date(nowMs + sessionAbsoluteMs).toISOString() };
};

export const linkUsable = (link: LoginLink, nowMs: number): boolean => nowMs < Date.parse(link.expiresAt);
