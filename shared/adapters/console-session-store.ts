import type { ConsoleSessionStore } from '../app/ports/console-sessions';
import type { ConsoleSession, LoginLink } from '../domain/console/session';
import { emailHash } from '../domain/customers/identity';
import { indexes, keys } from './keys';
import { queryPages, type Table } from './table';

const epochSeconds = (iso: string): number => Math.ceil(Date.parse(iso) / 1000);

const linkOf = (item: Record<string, unknown>): LoginLink => ({
  tokenHash: String(item.tokenHash),
  email: String(item.email),
  createdAt: String(item.createdAt),
  expiresAt: String(item.validUntil),
});

const sessionOf = (item: Record<string, unknown>): ConsoleSession => ({
  idHash: String(item.idHash),
  email: String(item.email),
  csrfToken: String(item.csrfToken),
  createdAt: String(item.createdAt),
  lastSeenAt: String(item.lastSeenAt),
  expiresAt: String(item.validUntil),
});

export const dynamoConsoleSessionStore = (table: Table, tableName: string): ConsoleSessionStore => ({
  async putLink(link) {
    await table.put({
      TableName: tableName,
      Item: {
        ...keys.consoleLink(link.tokenHash),
        itemType: 'consoleLink',
        tokenHash: link.tokenHash,
        email: link.email,
        createdAt: link.createdAt,
        validUntil: link.expiresAt,
        expiresAt: epochSeconds(link.expiresAt),
      },
    });
  },

  async takeLink(tokenHash) {
    const out = await table.delete({
      TableName: tableName,
      Key: keys.consoleLink(tokenHash),
      ReturnValues: 'ALL_OLD',
    });
    return out.Attributes ? linkOf(out.Attributes) : undefined;
  },

  async putSession(s) {
    await table.put({
      TableName: tableName,
      Item: {
        ...keys.consoleSession(s.idHash),
        [indexes.byTime.pk]: keys.consoleSessionsOf(emailHash(s.email)),
        [indexes.byTime.sk]: `${s.createdAt}#${s.idHash}`,
        itemType: 'consoleSession',
        idHash: s.idHash,
        email: s.email,
        csrfToken: s.csrfToken,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        validUntil: s.expiresAt,
        expiresAt: epochSeconds(s.expiresAt),
      },
    });
  },

  async getSession(idHash) {
    const out = await table.get({ TableName: tableName, Key: keys.consoleSession(idHash), ConsistentRead: true });
    return out.Item ? sessionOf(out.Item) : undefined;
  },

  async touchSession(idHash, lastSeenAt) {
    try {
      await table.update({
        TableName: tableName,
        Key: keys.consoleSession(idHash),
        UpdateExpression: 'SET lastSeenAt = :at',
        // Never resurrect a session signed out meanwhile.
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': lastSeenAt },
      });
    } catch (e) {
      if ((e as Error).name !== 'ConditionalCheckFailedException') throw e;
    }
  },

  async deleteSession(idHash) {
    await table.delete({ TableName: tableName, Key: keys.consoleSession(idHash) });
  },

  async deleteSessionsOf(email) {
    let n = 0;
    for await (const page of queryPages(table, {
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': indexes.byTime.pk },
      ExpressionAttributeValues: { ':pk': keys.consoleSessionsOf(emailHash(email)) },
    })) {
      for (const item of page.Items ?? []) {
        await table.delete({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } });
        n++;
      }
    }
    return n;
  },
});
