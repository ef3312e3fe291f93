import type { ConsoleUser, UserStore, UserWrite } from '../app/ports/users';
import { emailHash } from '../domain/customers/identity';
import { batchGetAll, isConditionFailure, isTransactionConditionFailure, strip, versionIs } from './items';
import { indexes, keys } from './keys';
import type { Table } from './table';

type Item = Record<string, unknown>;

const userOf = (item: Item | undefined): ConsoleUser | undefined => {
  const u = strip<ConsoleUser>(item);
  return u && { ...u, shopId: String(item!.shopId) };
};

const userItem = (tableName: string, user: ConsoleUser) => ({
  TableName: tableName,
  Item: {
    ...keys.consoleUser(user.shopId, user.userId),
    ...keys.consoleUserByEmail(emailHash(user.email), user.shopId, user.userId),
    itemType: 'console_user',
    ...user,
  },
});

/** The owner count moved by one; a decrement is guarded so it never reaches zero. */
const ownerCount = (tableName: string, shopId: string, by: 1 | -1) => ({
  Update: {
    TableName: tableName,
    Key: keys.consoleOwners(shopId),
    ...(by === 1
      ? {
          UpdateExpression: 'SET itemType = :t, shopId = :s ADD owners :one',
          ExpressionAttributeValues: { ':t': 'console_owners', ':s': shopId, ':one': 1 },
        }
      : {
          UpdateExpression: 'SET owners = owners - :one',
          ConditionExpression: 'owners > :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
  },
});

/** +1 when the change makes an owner, −1 when it unmakes one, else 0. */
const ownerDelta = (before: ConsoleUser['role'] | undefined, after: ConsoleUser['role'] | undefined): -1 | 0 | 1 =>
  before === after ? 0 : after === 'owner' ? 1 : before === 'owner' ? -1 : 0;

/**
 * Console users (keys.ts: one partition per shop). An address is unique within a shop through its
 * e-mail item, written in the same transaction as the user with `attribute_not_exists`. The shop's
 * owner count (`OWNERS` item) moves in the transaction of every change that makes or unmakes an
 * owner, and a decrement is conditional on `owners > 1`: the last owner can be neither demoted nor
 * removed, also when two owners are demoted at once (the second transaction's condition fails).
 */
export const dynamoUserStore = (table: Table, tableName: string): UserStore => {
  /** A guarded transaction: the owner-count item (if any) is last, so its failure is `last_owner`. */
  const guarded = async (
    items: NonNullable<Parameters<Table['transactWrite']>[0]['TransactItems']>,
    countAt: number | undefined,
  ): Promise<UserWrite> => {
    try {
      await table.transactWrite({ TransactItems: items });
      return 'written';
    } catch (e) {
      if (isTransactionConditionFailure(e, 0)) return 'conflict';
      if (countAt !== undefined && isTransactionConditionFailure(e, countAt)) return 'last_owner';
      throw e;
    }
  };

  const get = async (shopId: string, userId: string): Promise<ConsoleUser | undefined> => {
    const out = await table.get({ TableName: tableName, Key: keys.consoleUser(shopId, userId), ConsistentRead: true });
    return userOf(out.Item);
  };

  return {
    get,

    async create(user) {
      const delta = ownerDelta(undefined, user.role);
      try {
        await table.transactWrite({
          TransactItems: [
            { Put: { ...userItem(tableName, user), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: tableName,
                Item: {
                  ...keys.consoleUserEmail(user.shopId, emailHash(user.email)),
                  itemType: 'console_user_email',
                  shopId: user.shopId,
                  userId: user.userId,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(delta === 1 ? [ownerCount(tableName, user.shopId, 1)] : []),
          ],
        });
        return true;
      } catch (e) {
        if (isTransactionConditionFailure(e, 1)) return false;
        throw e;
      }
    },

    async list(shopId) {
      const users: ConsoleUser[] = [];
      let start: Item | undefined;
      do {
        const out = await table.query({
          TableName: tableName,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :u)',
          ExpressionAttributeValues: { ':p': keys.usersPartition(shopId), ':u': keys.consoleUserPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        });
        users.push(...(out.Items ?? []).map((i) => userOf(i)!));
        start = out.LastEvaluatedKey;
      } while (start);
      return users;
    },

    async listByEmail(email) {
      const alt = indexes.alternate;
      const refs: { pk: string; sk: string }[] = [];
      let start: Item | undefined;
      do {
        const out = await table.query({
          TableName: tableName,
          IndexName: alt.name,
          KeyConditionExpression: `${alt.pk} = :p`,
          ExpressionAttributeValues: { ':p': keys.consoleUserEmailPartition(emailHash(email)) },
          ExclusiveStartKey: start,
        });
        refs.push(...((out.Items ?? []) as { pk: string; sk: string }[]));
        start = out.LastEvaluatedKey;
      } while (start);
      const items = await batchGetAll(table, tableName, refs, { consistent: true });
      // The index lags the table a little: drop an entry whose item changed address or went.
      const normalized = email.trim().toLowerCase();
      return items.map((i) => userOf(i)!).filter((u) => u.email === normalized);
    },

    async replace(user, expectedVersion) {
      const current = await get(user.shopId, user.userId);
      if (!current || current.version !== expectedVersion) return 'conflict';
      // The e-mail item and the index entry are keyed by the address: it is fixed at creation.
      if (current.email !== user.email) throw new Error('A console user keeps the e-mail address it was created with');
      const delta = ownerDelta(current.role, user.role);
      return guarded(
        [
          { Put: { ...userItem(tableName, user), ...versionIs(expectedVersion) } },
          ...(delta !== 0 ? [ownerCount(tableName, user.shopId, delta)] : []),
        ],
        delta === -1 ? 1 : undefined,
      );
    },

    async delete(user) {
      const owner = user.role === 'owner';
      return guarded(
        [
          {
            Delete: {
              TableName: tableName,
              Key: keys.consoleUser(user.shopId, user.userId),
              ...versionIs(user.version),
            },
          },
          { Delete: { TableName: tableName, Key: keys.consoleUserEmail(user.shopId, emailHash(user.email)) } },
          ...(owner ? [ownerCount(tableName, user.shopId, -1)] : []),
        ],
        owner ? 2 : undefined,
      );
    },

    async touchSignIn(shopId, userId, at) {
      try {
        await table.update({
          TableName: tableName,
          Key: keys.consoleUser(shopId, userId),
          UpdateExpression: 'SET lastSignInAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        });
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    },
  };
};
