import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../local/table';
import type { ConsoleUser, UserStore } from '../../shared/app/ports/users';
import { dynamoUserStore } from '../../shared/adapters/user-store';
import { httpTable } from '../../shared/adapters/table-http';
import { bumped } from '../../shared/domain/versioned';
import { configureTestEnv, randomId } from '../support/stack';

/** The console users' store against DynamoDB Local: uniqueness per shop, the last owner, sign-in lookups. */
let tableName: string;
let dynamo: DynamoDBClient;
let store: UserStore;

beforeAll(async () => {
  ({ tableName } = configureTestEnv());
  dynamo = new DynamoDBClient({});
  await ensureTable(dynamo, tableName);
  store = dynamoUserStore(httpTable(), tableName);
});

afterAll(async () => {
  await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  dynamo.destroy();
});

const user = (shopId: string, overrides: Partial<ConsoleUser> = {}): ConsoleUser => ({
  shopId,
  userId: randomId('u', 8),
  email: `${randomId('a')}@example.com`,
  role: 'owner',
  createdAt: '2026-12-01T10:00:00.000Z',
  invitedBy: 'operator',
  version: 1,
  ...overrides,
});

describe('user store', () => {
  it('creates, reads, lists and finds a user by e-mail across shops', async () => {
    const [shopA, shopB] = [randomId('shop-'), randomId('shop-')];
    const email = `${randomId('ann')}@example.com`;
    const a = user(shopA, { email, name: 'Ann' });
    const b = user(shopB, { email, role: 'support' });
    expect(await store.create(a)).toBe(true);
    expect(await store.create(b)).toBe(true);
    expect(await store.get(shopA, a.userId)).toEqual(a);
    expect(await store.list(shopA)).toEqual([a]);
    const found = await store.listByEmail(email.toUpperCase());
    expect(found.map((u) => u.shopId).sort()).toEqual([shopA, shopB].sort());
    expect(await store.listByEmail('nobody@example.com')).toEqual([]);
  });

  it('refuses a second user with the same address in a shop, but not in another shop', async () => {
    const shop = randomId('shop-');
    const first = user(shop);
    expect(await store.create(first)).toBe(true);
    expect(await store.create(user(shop, { email: first.email }))).toBe(false);
    expect(await store.list(shop)).toHaveLength(1);
    expect(await store.create(user(randomId('shop-'), { email: first.email }))).toBe(true);
  });

  it('replaces on version, and never demotes or removes the last owner', async () => {
    const shop = randomId('shop-');
    const owner = user(shop);
    const marketer = user(shop, { role: 'marketer' });
    await store.create(owner);
    await store.create(marketer);
    const demoted = bumped(owner, { role: 'support' });
    expect(await store.replace(demoted.next, demoted.expectedVersion)).toBe('last_owner');
    expect(await store.delete(owner)).toBe('last_owner');
    expect(await store.replace(bumped(owner, { name: 'Owner' }).next, 7)).toBe('conflict');

    const promoted = bumped(marketer, { role: 'owner' });
    expect(await store.replace(promoted.next, promoted.expectedVersion)).toBe('written');
    expect(await store.delete(owner)).toBe('written');
    expect(await store.get(shop, owner.userId)).toBeUndefined();
    // The address is free again.
    expect(await store.create(user(shop, { email: owner.email, role: 'support' }))).toBe(true);
    expect(await store.delete(promoted.next)).toBe('last_owner');
  });

  it('lets only one of two concurrent demotions of the last two owners win', async () => {
    const shop = randomId('shop-');
    const [a, b] = [user(shop), user(shop)];
    await store.create(a);
    await store.create(b);
    const results = await Promise.all(
      [a, b].map((u) => {
        const { next, expectedVersion } = bumped(u, { role: 'marketer' });
        return store.replace(next, expectedVersion);
      }),
    );
    expect(results.sort()).toEqual(['last_owner', 'written']);
    expect((await store.list(shop)).filter((u) => u.role === 'owner')).toHaveLength(1);
  });

  it('records a sign-in without a version bump, and ignores a user that is gone', async () => {
    const shop = randomId('shop-');
    const u = user(shop, { role: 'support' });
    await store.create(u);
    await store.touchSignIn(shop, u.userId, '2026-12-02T08:00:00.000Z');
    expect(await store.get(shop, u.userId)).toEqual({ ...u, lastSignInAt: '2026-12-02T08:00:00.000Z' });
    await store.touchSignIn(shop, 'gone', '2026-12-02T08:00:00.000Z');
    expect(await store.get(shop, 'gone')).toBeUndefined();
  });
});
