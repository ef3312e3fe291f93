import { ApiError, onSignedOut, post, query, request, setCsrfToken } from './api';
import { signal } from './signal';
import type { Me } from './types';
import type { Permission } from '../../shared/domain/console/roles';

/** Who is signed in: unknown until `/console/auth/me` answers, `null` when signed out. */
export const me = signal<Me | null | undefined>(undefined);

const shopKey = 'boomerang:console:shop';
const chosenShop = (): string | undefined => sessionStorage.getItem(shopKey) ?? undefined;

export const loadMe = async (shopId = chosenShop()): Promise<void> => {
  try {
    const m = await request<Me>('GET', `/console/auth/me${query({ shopId })}`, undefined, { quiet401: true });
    setCsrfToken(m.csrfToken);
    me.set(m);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      me.set(null);
      return;
    }
    // A shop no longer ours: ask again without it.
    if (shopId && e instanceof ApiError && (e.status === 403 || e.status === 404)) {
      sessionStorage.removeItem(shopKey);
      return loadMe(undefined);
    }
    throw e;
  }
};

export const chooseShop = (shopId: string): Promise<void> => {
  sessionStorage.setItem(shopKey, shopId);
  return loadMe(shopId);
};

export const signOut = async (everywhere: boolean): Promise<void> => {
  try {
    await post(everywhere ? '/console/auth/logout-all' : '/console/auth/logout');
  } finally {
    sessionStorage.removeItem(shopKey);
    setCsrfToken('');
    me.set(null);
  }
};

export const can = (m: Me | null | undefined, permission: Permission): boolean => !!m?.permissions.includes(permission);

onSignedOut(() => me.set(null));
