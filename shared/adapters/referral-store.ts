import type { CodeOwner, ReferralStore } from '../app/ports/referrals';
import type { VelocityRecord } from '../domain/ledger/plans';
import type { ReferralRecord } from '../domain/referrals/referral';
import { indexes, keys } from './keys';
import { indexedPage } from './listing';
import { strip } from './items';
import { queryPages, type Table } from './table';

export const dynamoReferralStore = (table: Table, tableName: string): ReferralStore => ({
  async codeOwner(code) {
    const out = await table.get({ TableName: tableName, Key: keys.globalReferralCode(code) });
    return out.Item ? (out.Item as unknown as CodeOwner) : undefined;
  },
  async publishCode(shopId, cid, code, vanity, at) {
    try {
      await table.transactWrite({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.globalReferralCode(code), itemType: 'code_owner', shopId, cid, code },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName: tableName,
              Item: {
                ...keys.referralCode(shopId, code),
                itemType: 'code',
                shopId,
                cid,
                code,
                vanity,
                createdAt: at,
                clicks: 0,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      });
      return 'published';
    } catch (e) {
      if ((e as Error).name !== 'TransactionCanceledException') throw e;
      // Taken — unless by this very customer (a publish that raced or was retried).
      const owner = await table.get({ TableName: tableName, Key: keys.globalReferralCode(code), ConsistentRead: true });
      return owner.Item?.shopId === shopId && owner.Item?.cid === cid ? 'published' : 'taken';
    }
  },
  async codeClicks(shopId, code) {
    const out = await table.get({
      TableName: tableName,
      Key: keys.referralCode(shopId, code),
      ProjectionExpression: 'clicks',
    });
    return Number(out.Item?.clicks ?? 0);
  },
  async getReferral(shopId, friendCid) {
    const out = await table.get({ TableName: tableName, Key: keys.referral(shopId, friendCid), ConsistentRead: true });
    return strip<ReferralRecord>(out.Item);
  },
  async getVelocity(shopId, kind, hash) {
    const out = await table.get({ TableName: tableName, Key: keys.velocity(shopId, kind, hash), ConsistentRead: true });
    const v = strip<VelocityRecord & { expiresAt?: number }>(out.Item);
    if (!v) return undefined;
    const { expiresAt: _ttl, ...record } = v;
    return record;
  },
  async listReferrals(shopId, status, page) {
    const { items, nextCursor } = await indexedPage(table, tableName, {
      index: indexes.byTime,
      partition: keys.referralStatusPartition(shopId, status),
      pkPrefix: keys.referralPrefix(shopId),
      sk: 'REFERRAL',
      limit: page.limit,
      newestFirst: true,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
    return {
      // The index lags the record a moment: a referral just decided may still be listed under its old status.
      items: items.map((i) => strip<ReferralRecord>(i)!).filter((r) => r.status === status),
      ...(nextCursor ? { nextCursor } : {}),
    };
  },
  async referralsCreatedBetween(shopId, status, from, to) {
    const out: ReferralRecord[] = [];
    // gsi1 is KEYS_ONLY: list the keys by creation time, then read the records.
    const pages = queryPages(table, {
      TableName: tableName,
      IndexName: indexes.byTime.name,
      KeyConditionExpression: `${indexes.byTime.pk} = :p AND ${indexes.byTime.sk} BETWEEN :a AND :b`,
      ExpressionAttributeValues: {
        ':p': keys.referralStatusPartition(shopId, status),
        ':a': from,
        ':b': `${to}\uffff`,
      },
    });
    for await (const page of pages) {
      const got = await Promise.all(
        (page.Items ?? []).map((k) => table.get({ TableName: tableName, Key: { pk: k.pk, sk: k.sk } })),
      );
      for (const g of got) {
        const r = strip<ReferralRecord>(g.Item);
        if (r && r.status === status) out.push(r);
      }
    }
    return out;
  },
  async disableCode(shopId, code) {
    await Promise.all(
      [keys.globalReferralCode(code), keys.referralCode(shopId, code)].map((Key) =>
        table
          .update({
            TableName: tableName,
            Key,
            UpdateExpression: 'SET disabled = :t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':t': true },
          })
          .catch((e: Error) => {
            if (e.name !== 'ConditionalCheckFailedException') throw e;
          }),
      ),
    );
  },
  async friendReferred(shopId, hash) {
    const out = await table.get({ TableName: tableName, Key: keys.referredFriend(shopId, hash), ConsistentRead: true });
    return !!out.Item;
  },
  async dayStats(shopId, fromDay, toDay) {
    const out = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': keys.referralStatsPartition(shopId), ':a': fromDay, ':b': toDay },
    });
    return (out.Items ?? []).map((i) => ({
      day: String(i.sk),
      clicks: Number(i.clicks ?? 0),
      uniqueVisitors: Number(i.uniqueVisitors ?? 0),
    }));
  },
});
