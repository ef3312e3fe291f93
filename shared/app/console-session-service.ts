import type { Clock } from './ports/clock';
import type { ConsoleSessionStore } from './ports/console-sessions';
import type { ShopStore } from './ports/shops';
import type { ConsoleUser, UserStore } from './ports/users';
import { permissionsOf } from '../domain/console/roles';
import { sessionState, type ConsoleSession } from '../domain/console/session';

/** What every console request needs (kept apart from sign-in, so admin functions bundle no mailer). */
export interface ConsoleSessionDeps {
  sessions: ConsoleSessionStore;
  users: Pick<UserStore, 'listByEmail' | 'touchSignIn'>;
  shops: Pick<ShopStore, 'get'>;
  clock: Clock;
  /** The stored form of a token (SHA-256). */
  hash: (token: string) => string;
}

export interface ActiveSession {
  session: ConsoleSession;
  idleExpiresAt: string;
}

/** The session behind a cookie, if it is still alive (an expired one is deleted). */
export const activeSession = async (
  deps: Pick<ConsoleSessionDeps, 'sessions' | 'clock' | 'hash'>,
  cookie: string,
): Promise<ActiveSession | undefined> => {
  const idHash = deps.hash(cookie);
  const session = await deps.sessions.getSession(idHash);
  if (!session) return undefined;
  const nowMs = deps.clock.now().getTime();
  const state = sessionState(session, nowMs);
  if (state.kind === 'expired') {
    await deps.sessions.deleteSession(idHash);
    return undefined;
  }
  if (state.touch) await deps.sessions.touchSession(idHash, new Date(nowMs).toISOString());
  return { session, idleExpiresAt: state.idleExpiresAt };
};

/** The session's user in one shop, read on every request so a role change or removal counts at once. */
export const membershipIn = async (
  deps: Pick<ConsoleSessionDeps, 'users'>,
  session: ConsoleSession,
  shopId: string,
): Promise<ConsoleUser | undefined> => (await deps.users.listByEmail(session.email)).find((u) => u.shopId === shopId);

/** `GET /console/auth/me`: who is signed in, their shops, and the chosen (or only) shop's role. */
export const whoAmI = async (
  deps: Pick<ConsoleSessionDeps, 'users' | 'shops'>,
  active: ActiveSession,
  shopId: string | undefined,
) => {
  const memberships = await deps.users.listByEmail(active.session.email);
  const shops = (await Promise.all(memberships.map((m) => deps.shops.get(m.shopId)))).flatMap((s, i) =>
    s && s.status !== 'redacting' ? [{ id: s.id, name: s.name, role: memberships[i]!.role, shop: s }] : [],
  );
  const chosen = shopId !== undefined ? shops.find((s) => s.id === shopId) : shops.length === 1 ? shops[0] : undefined;
  const user = memberships.find((m) => m.shopId === chosen?.id) ?? memberships[0];
  return {
    user: { email: active.session.email, name: user?.name ?? null },
    shops: shops.map(({ id, name, role }) => ({ id, name, role })),
    shop: chosen
      ? { id: chosen.shop.id, name: chosen.shop.name, currency: chosen.shop.currency, locale: chosen.shop.locale }
      : null,
    role: chosen?.role ?? null,
    permissions: chosen ? permissionsOf(chosen.role) : [],
    csrfToken: active.session.csrfToken,
    session: { idleExpiresAt: active.idleExpiresAt, expiresAt: active.session.expiresAt },
  };
};

export const signOut = (deps: Pick<ConsoleSessionDeps, 'sessions'>, session: ConsoleSession): Promise<void> =>
  deps.sessions.deleteSession(session.idHash);

export const signOutEverywhere = (
  deps: Pick<ConsoleSessionDeps, 'sessions'>,
  session: ConsoleSession,
): Promise<number> => deps.sessions.deleteSessionsOf(session.email);
