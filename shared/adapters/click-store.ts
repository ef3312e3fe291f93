import type { ClickStore } from '../app/ports/clicks';
import { isConditionFailure } from './items';
import { keys } from './keys';
import type { Table } from './table';

/**
 * DynamoDB side of referral clicks. Items (see keys.ts):
 *
 * - global code index `CODE#<CODE>` / `CODE`: `{ shopId, cid, disabled? }`, read here, written
 *   by whoever creates codes (with the shop's code item, in one transaction);
 * - click de-dupe `SHOP#<shop>#CLICK#<CODE>#<visitor hash>` / `CLICK`: `{ expiresAt }` (TTL);
 * - day stats `SHOP#<shop>#RSTATS` / `<yyyy-mm-dd>`: counters `clicks`, `uniqueVisitors`,
 *   `repeatClicks`;
 * - the shop's code item `SHOP#<shop>#CODE#<CODE>` / `CODE`: counter `clicks`.
 *
 * Counters are ADDs, never read-modify-write, so concurrent clicks never conflict and never
 * need a retry; no transaction either, since a hot day item would make concurrent transactions
 * cancel each other. The price is that a crash between the de-dupe put and the counter ADDs
 * under-counts that one click.
 *
 * Written against the Table port, so the redirect runs on the lean DynamoDB client (table-http.ts).
 */

export const referralStatsItemType = 'referralStatsDay';

/** `expiresAt` of the item a refused put returned (ReturnValuesOnConditionCheckFailure), raw or unmarshalled. */
const existingExpiry = (e: unknown): unknown => {
  const v = (e as { Item?: Record<string, unknown> }).Item?.expiresAt;
  return typeof v === 'object' && v !== null && 'N' in v ? (v as { N: string }).N : v;
};

export const dynamoClickStore = (table: Table, tableName: string): ClickStore => {
  const addRepeat = (key: { pk: string; sk: string }) =>
    table.update({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'SET itemType = :t ADD repeatClicks :one',
      ExpressionAttributeValues: { ':t': referralStatsItemType, ':one': 1 },
    });

  return {
    async findCode(code) {
      // Eventually consistent (half the read cost): a code created a moment ago may 404 once.
      const out = await table.get({
        TableName: tableName,
        Key: keys.globalReferralCode(code),
        ProjectionExpression: 'shopId, disabled',
      });
      const shopId = out.Item?.shopId;
      if (typeof shopId !== 'string' || !shopId) return undefined;
      return { shopId, disabled: out.Item?.disabled === true };
    },

    async recordClick(c) {
      const day = keys.referralStatsDay(c.shopId, c.day);
      const windowEndsAt = c.now + c.dedupeSeconds;
      try {
        // TTL deletion lags (up to days), so an expired item counts as absent.
        await table.put({
          TableName: tableName,
          Item: { ...keys.clickDedupe(c.shopId, c.code, c.visitorHash), itemType: 'click', expiresAt: windowEndsAt },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
          ExpressionAttributeValues: { ':now': c.now },
          // At no extra cost: when the window is already open, say until when.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
        await addRepeat(day);
        const existing = Number(existingExpiry(e));
        return Number.isFinite(existing) && existing >= c.now
          ? { count: 'repeat', windowEndsAt: existing }
          : { count: 'repeat' };
      }
      await Promise.all([
        table.update({
          TableName: tableName,
          Key: day,
          UpdateExpression: 'SET itemType = :t ADD clicks :one, uniqueVisitors :one',
          ExpressionAttributeValues: { ':t': referralStatsItemType, ':one': 1 },
        }),
        table
          .update({
            TableName: tableName,
            Key: keys.referralCode(c.shopId, c.code),
            UpdateExpression: 'ADD clicks :one',
            // Never create a stray code item if only the global index exists.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1 },
          })
          .catch((e: unknown) => {
            if (!isConditionFailure(e)) throw e;
          }),
      ]);
      return { count: 'counted', windowEndsAt };
    },

    async recordRepeat(shopId, day) {
      await addRepeat(keys.referralStatsDay(shopId, day));
    },
  };
};
