import type { ConsoleUser, UserStore } from '../../shared/app/ports/users';

/**
 * Console users in memory, with the DynamoDB store's rules: an address once per shop, version
 * guards, and never fewer than one owner once a shop has one. `beforeWrite` runs before each
 * guarded write (tests use it to make a rival write win a race).
 */
export const memoryUserStore = (hooks: { beforeWrite?: () => void } = {}) => {
  const users = new Map<string, ConsoleUser>();
  const id = (shopId: string, userId: string) => `${shopId}/${userId}`;
  const owners = (shopId: string) => [...users.values()].filter((u) => u.shopId === shopId && u.role === 'owner');
  const store: UserStore = {
    async create(user) {
      if ([...users.values()].some((u) => u.shopId === user.shopId && u.email === user.email)) return false;
      users.set(id(user.shopId, user.userId), structuredClone(user));
      return true;
    },
    async get(shopId, userId) {
      const u = users.get(id(shopId, userId));
      return u && structuredClone(u);
    },
    async list(shopId) {
      return [...users.values()].filter((u) => u.shopId === shopId).map((u) => structuredClone(u));
    },
    async listByEmail(email) {
      return [...users.values()].filter((u) => u.email === email.toLowerCase()).map((u) => structuredClone(u));
    },
    async replace(user, expectedVersion) {
      hooks.beforeWrite?.();
      const current = users.get(id(user.shopId, user.userId));
      if (!current || current.version !== expectedVersion) return 'conflict';
      if (current.role === 'owner' && user.role !== 'owner' && owners(user.shopId).length <= 1) return 'last_owner';
      users.set(id(user.shopId, user.userId), structuredClone(user));
      return 'written';
    },
    async delete(user) {
      hooks.beforeWrite?.();
      const current = users.get(id(user.shopId, user.userId));
      if (!current || current.version !== user.version) return 'conflict';
      if (current.role === 'owner' && owners(user.shopId).length <= 1) return 'last_owner';
      users.delete(id(user.shopId, user.userId));
      return 'written';
    },
    async touchSignIn(shopId, userId, at) {
      const u = users.get(id(shopId, userId));
      if (u) u.lastSignInAt = at;
    },
  };
  return { store, users };
};
