import type { ConsoleSession, LoginLink } from '../../domain/console/session';

/** Magic links and console sessions (DynamoDB: shared/adapters/console-session-store.ts). */
export interface ConsoleSessionStore {
  putLink(link: LoginLink): Promise<void>;
  /** Deletes the link and returns it: a link answers once, even to two clicks at the same moment. */
  takeLink(tokenHash: string): Promise<LoginLink | undefined>;
  putSession(session: ConsoleSession): Promise<void>;
  getSession(idHash: string): Promise<ConsoleSession | undefined>;
  touchSession(idHash: string, lastSeenAt: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Every session of the address (sign out everywhere); returns how many. */
  deleteSessionsOf(email: string): Promise<number>;
}
