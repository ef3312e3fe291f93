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

/** Console users (DynamoDB: shared/adapters/user-store.ts). */
export interface UserStore {
  /** False when the e-mail address is already a user of the shop. */
  create(user: ConsoleUser): Promise<boolean>;
  get(shopId: string, userId: string): Promise<ConsoleUser | undefined>;
  list(shopId: string): Promise<ConsoleUser[]>;
  /** Every shop the address is a user of (sign-in, the shop picker). */
  listByEmail(email: string): Promise<ConsoleUser[]>;
  /** Optimistic on `version`; false when it changed or is gone. */
  replace(user: ConsoleUser, expectedVersion: number): Promise<boolean>;
  /** False when it was already gone. */
  delete(shopId: string, userId: string): Promise<boolean>;
  /** Best effort, no version bump. */
  touchSignIn(shopId: string, userId: string, at: string): Promise<void>;
}
