import type { VelocityRecord } from '../domain/ledger/plans';
import type { ReferralRecord } from '../domain/referrals/referral';
import type { Verdict } from '../domain/referrals/types';
import { keys } from './keys';
import { strip } from './items';
import { queryPages, type Table } from './table';

export interface CodeOwner {
  shopId: string;
  cid: string;
  code: string;
  disabled?: boolean;
}

export interface DayStats {
  day: string;
  clicks: number;
  uniqueVisitors: number;
}

/** Reads and small writes of the referral program; ledger-changing writes go through LedgerStore.commit. */
export interface ReferralStore {
  codeOwner(code: string): Promise<CodeOwner | undefined>;
  /** Publishes a customer's code: both items, or neither if the code is taken. */
  publishCode(shopId: string, cid: string, code: string, vanity: boolean, at: string): Promise<'published' | 'taken'>;
  codeClicks(shopId: string, code: string): Promise<number>;
  getReferral(shopId: string, friendCid: string): Promise<ReferralRecord | undefined>;
  getVelocity(shopId: string, kind: 'ip' | 'addr', hash: string): Promise<VelocityRecord | undefined>;
  referralsCreatedBetween(shopId: string, status: Verdict, from: string, to: string): Promise<ReferralRecord[]>;
  dayStats(shopId: string, fromDay: string, toDay: string): Promise<DayStats[]>;
  /** Turns a code off for good (both items); its link then answers 404. */
  disableCode(shopId: string, code: string): Promise<void>;
  /** Whether someone with this canonical e-mail (hashed) was already referred in the shop. */
  friendReferred(shopId: string, canonicalEmailHash: string): Promise<boolean>;
}


export const dynamoReferralStore = (table: Table, tableName: string): ReferralStore => ({
  async codeOwner(code) {
    const out = await table.get({ TableName: tableName, Key: keys.globalReferralCode(code) });
    return out.Item ? (out.Item as unknown as CodeOwner) : undefined;
  },
  async publishCode(shopId, cid, code, vanity, at) {
    try {
      await table.transactWrite({
        TransactItems: [
          { Put: { TableName: tableName, Item: { ...keys.globalReferralCode(code), itemType: 'code_owner', shopId, cid, code }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tableName, Item: { ...keys.referralCode(shopId, code), itemType: 'code', shopId, cid, code, vanity, createdAt: at, clicks: 0 }, ConditionExpression: 'attribute_not_exists(pk)' } },
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
    const out = await table.get({ TableName: tableName, Key: keys.referralCode(shopId, code), ProjectionExpression: 'clicks' });
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
  async referralsCreatedBetween(shopId, status, from, to) {
    const out: ReferralRecord[] = [];
    // gsi1 is KEYS_ONLY: list the keys by creation time, then read the records.
    const pages = queryPages(table, {
      TableName: tableName, IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p AND gsi1sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': keys.referralStatusPartition(shopId, status), ':a': from, ':b': `${to}\uffff` },
    });
    for await (const page of pages) {
      const got = await Promise.all((page.Items ?? []).map((k) => table.get({ TableName: tableName, Key: { pk: k.pk, sk: k.sk } })));
      for (const g of got) {
        const r = strip<ReferralRecord>(g.Item);
        if (r && r.status === status) out.push(r);
      }
    }
    return out;
  },
  async disableCode(shopId, code) {
    await Promise.all([keys.globalReferralCode(code), keys.referralCode(shopId, code)].map((Key) => table.update({
      TableName: tableName, Key, UpdateExpression: 'SET disabled = :t', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':t': true },
    }).catch((e: Error) => { if (e.name !== 'ConditionalCheckFailedException') throw e; })));
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
    return (out.Items ?? []).map((i) => ({ day: String(i.sk), clicks: Number(i.clicks ?? 0), uniqueVisitors: Number(i.uniqueVisitors ?? 0) }));
  },
});
