import { invitationEmail } from '../domain/console/invitation';
import { normalizeEmail } from '../domain/customers/identity';
import type { DomainResult } from '../domain/result';
import { err, ok } from '../domain/result';
import type { Shop } from '../domain/shop';
import { bumped } from '../domain/versioned';
import type { CreateUserInput, PatchUserInput } from '../schemas/console';
import { fromAddress } from './email-service';
import type { Clock } from './ports/clock';
import type { NewId } from './ports/ids';
import type { Logger } from './ports/logger';
import type { Mailer } from './ports/mailer';
import type { Random } from './ports/random';
import type { Sleep } from './ports/sleep';
import type { ConsoleUser, UserStore } from './ports/users';
import { conflict, retryOnConflict } from './retry';

/** A shop's console users (`/admin/shops/{shopId}/users…`, docs/console.md). */
export interface UserDeps {
  users: UserStore;
  mailer: Mailer;
  clock: Clock;
  newId: NewId;
  random: Random;
  sleep: Sleep;
  logger: Logger;
  /** `{publicBaseUrl}/console`, the link in the invitation. */
  consoleUrl: string;
}

export type UserError = { kind: 'not_found' } | { kind: 'user_exists' } | { kind: 'last_owner' };

/** A user as the API shows it (docs/console.md): absent fields are null. */
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: ConsoleUser['role'];
  createdAt: string;
  invitedBy: string;
  lastSignInAt: string | null;
}

export const publicUser = (u: ConsoleUser): PublicUser => ({
  id: u.userId,
  email: u.email,
  name: u.name ?? null,
  role: u.role,
  createdAt: u.createdAt,
  invitedBy: u.invitedBy,
  lastSignInAt: u.lastSignInAt ?? null,
});

/**
 * Adds a user and mails them an invitation. The user exists once the write succeeds: a failed
 * send is logged, not an error (they can still sign in with their address).
 */
export const inviteUser = async (
  deps: UserDeps,
  shop: Shop,
  invitedBy: string,
  input: CreateUserInput,
): Promise<DomainResult<PublicUser, UserError>> => {
  const user: ConsoleUser = {
    shopId: shop.id,
    userId: deps.newId(),
    email: normalizeEmail(input.email),
    ...(input.name !== undefined ? { name: input.name } : {}),
    role: input.role,
    createdAt: deps.clock.now().toISOString(),
    invitedBy,
    version: 1,
  };
  if (!(await deps.users.create(user))) return err({ kind: 'user_exists' });
  const mail = invitationEmail({
    shopName: shop.name,
    shopLocale: shop.locale,
    role: user.role,
    consoleUrl: deps.consoleUrl,
    email: user.email,
  });
  try {
    await deps.mailer.send({ from: fromAddress(shop), to: [user.email], ...mail, tags: { shop: shop.id } });
  } catch (e) {
    deps.logger.error('console invitation not sent', { shopId: shop.id, userId: user.userId, error: String(e) });
  }
  return ok(publicUser(user));
};

export const listUsers = async (deps: Pick<UserDeps, 'users'>, shop: Shop): Promise<{ items: PublicUser[] }> => ({
  items: (await deps.users.list(shop.id))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.userId.localeCompare(b.userId))
    .map(publicUser),
});

export const getUser = async (
  deps: Pick<UserDeps, 'users'>,
  shop: Shop,
  userId: string,
): Promise<DomainResult<PublicUser, UserError>> => {
  const u = await deps.users.get(shop.id, userId);
  return u ? ok(publicUser(u)) : err({ kind: 'not_found' });
};

/** A role or name change; `before` is what it was, for the audit log. */
export const updateUser = async (
  deps: UserDeps,
  shop: Shop,
  userId: string,
  input: PatchUserInput,
): Promise<DomainResult<{ before: PublicUser; user: PublicUser }, UserError>> =>
  retryOnConflict(deps, async () => {
    const current = await deps.users.get(shop.id, userId);
    if (!current) return err({ kind: 'not_found' as const });
    const { next, expectedVersion } = bumped(current, {
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.name !== undefined ? { name: input.name } : {}),
    });
    const r = await deps.users.replace(next, expectedVersion);
    if (r === 'conflict') return conflict;
    if (r === 'last_owner') return err({ kind: 'last_owner' as const });
    return ok({ before: publicUser(current), user: publicUser(next) });
  });

/** Removes a user (their sign-in to this shop ends); the last owner stays. */
export const removeUser = async (
  deps: UserDeps,
  shop: Shop,
  userId: string,
): Promise<DomainResult<PublicUser, UserError>> =>
  retryOnConflict(deps, async () => {
    const current = await deps.users.get(shop.id, userId);
    if (!current) return err({ kind: 'not_found' as const });
    const r = await deps.users.delete(current);
    if (r === 'conflict') return conflict;
    if (r === 'last_owner') return err({ kind: 'last_owner' as const });
    return ok(publicUser(current));
  });
