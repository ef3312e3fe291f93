import type { SessionResponse } from '../../shared/schemas/storefront';

/**
 * The storefront session, kept for the tab in sessionStorage so a page view does not need a new
 * customer token; never in a cookie (no CSRF surface) nor localStorage (it would outlive the tab).
 */
export type Session = SessionResponse;

/** A session this close to its end is not used: a request could outlive it. */
const marginMs = 30_000;

const keyOf = (shopId: string) => `boomerang:session:${shopId}`;

/** Storage can throw (disabled cookies, Safari private mode): the widget then keeps memory only. */
const storage = (): Storage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
};

export const isLive = (s: Session, now = Date.now()): boolean => Date.parse(s.expiresAt) - marginMs > now;

export const loadSession = (shopId: string): Session | null => {
  try {
    const raw = storage()?.getItem(keyOf(shopId));
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && typeof s.sessionToken === 'string' && isLive(s) ? s : null;
  } catch {
    return null;
  }
};

export const saveSession = (shopId: string, s: Session | null): void => {
  try {
    if (s) storage()?.setItem(keyOf(shopId), JSON.stringify(s));
    else storage()?.removeItem(keyOf(shopId));
  } catch {
    // Memory only, see storage().
  }
};
