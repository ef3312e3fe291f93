import type { Role } from '../../domain/console/roles';

/** A person who signs in to one shop's console, with that shop's role. */
export interface ConsoleUser {
  shopId: string;
  userId: string;
  /** Lower-cased; the sign-in identity across shops. */
  email: string;
  name?: string;
  role: Role;
  createdAt: string;
  /** Audit label of who invited them (`operator`, `shop:<id>`, `user:<email>`). */
  invitedBy: string;
  lastSignInAt?: string;
  version: number;
}

/** What a guarded change of a user came to. */
export type UserWrite = 'written' | 'conflict' | 'last_owner';

/** Console users (DynamoDB: shared/adapters/user-store.ts). */
export interface UserStore {
  /** False when the e-mail address is already a user of the shop. */
  create(user: ConsoleUser): Promise<boolean>;
  get(shopId: string, userId: string): Promise<ConsoleUser | undefined>;
  list(shopId: string): Promise<ConsoleUser[]>;
  /** Every shop the address is a user of (sign-in, the shop picker). */
  listByEmail(email: string): Promise<ConsoleUser[]>;
  /**
   * Optimistic on `version`: `conflict` when it changed or is gone; `last_owner` when it would
   * demote the shop's only owner (the owner count is guarded in the same transaction, so two
   * concurrent demotions cannot both win).
   */
  replace(user: ConsoleUser, expectedVersion: number): Promise<UserWrite>;
  /**
   * Removes the user at `expectedVersion` with its e-mail item: `conflict` when it changed or is gone,
   * `last_owner` when it is the shop's only owner.
   */
  delete(user: ConsoleUser): Promise<UserWrite>;
  /** Best effort, no version bump. */
  touchSignIn(shopId: string, userId: string, at: string): Promise<void>;
}
