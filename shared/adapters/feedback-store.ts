import type { FeedbackStore, PendingFeedback } from '../app/ports/feedback';
import type { NpsAnswer } from '../app/ports/nightly';
import { isConditionFailure, strip } from './items';
import { indexes, keys } from './keys';
import type { Table } from './table';

type Item = Record<string, unknown>;

const pendingIndex = indexes.alternate;

/** The answer as the port gives it: the alert's own bookkeeping stays in the table. */
const answerOf = (item: Item | undefined): NpsAnswer | undefined => {
  const a = strip<NpsAnswer & { alertClaim?: string; alertLeaseUntil?: string; alertedAt?: string }>(item);
  if (!a) return undefined;
  const { alertClaim: _c, alertLeaseUntil: _l, alertedAt: _a, ...answer } = a;
  return answer;
};

export const dynamoFeedbackStore = (table: Table, tableName: string): FeedbackStore => {
  const key = (shopId: string, ref: PendingFeedback) => keys.npsAnswer(shopId, ref.cid, ref.answerId);
  return {
    async pending(shopId, until, limit) {
      const out = await table.query({
        TableName: tableName,
        IndexName: pendingIndex.name,
        KeyConditionExpression: `${pendingIndex.pk} = :p AND ${pendingIndex.sk} <= :until`,
        ExpressionAttributeValues: { ':p': keys.feedbackPendingPartition(shopId), ':until': `${until}#~` },
        Limit: limit,
      });
      const customerPrefix = keys.customerPartition(shopId, '');
      return (out.Items ?? []).map((i) => ({
        cid: String(i.pk).slice(customerPrefix.length),
        answerId: String(i.sk).slice(keys.npsPrefix.length),
      }));
    },

    async claim(shopId, ref, { claim, now, leaseUntil }) {
      try {
        const out = await table.update({
          TableName: tableName,
          Key: key(shopId, ref),
          ConditionExpression: `attribute_exists(${pendingIndex.pk}) AND (attribute_not_exists(alertLeaseUntil) OR alertLeaseUntil < :now)`,
          UpdateExpression: 'SET alertClaim = :claim, alertLeaseUntil = :lease',
          ExpressionAttributeValues: { ':claim': claim, ':now': now, ':lease': leaseUntil },
          ReturnValues: 'ALL_NEW',
        });
        return answerOf(out.Attributes as Item);
      } catch (e) {
        if (isConditionFailure(e)) return undefined;
        throw e;
      }
    },

    async markAlerted(shopId, ref, claim, at) {
      try {
        await table.update({
          TableName: tableName,
          Key: key(shopId, ref),
          ConditionExpression: 'alertClaim = :claim',
          UpdateExpression: `SET alertedAt = :at REMOVE ${pendingIndex.pk}, ${pendingIndex.sk}, alertClaim, alertLeaseUntil`,
          ExpressionAttributeValues: { ':claim': claim, ':at': at },
        });
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    },

    async release(shopId, ref, claim) {
      try {
        await table.update({
          TableName: tableName,
          Key: key(shopId, ref),
          ConditionExpression: 'alertClaim = :claim',
          UpdateExpression: 'REMOVE alertClaim, alertLeaseUntil',
          ExpressionAttributeValues: { ':claim': claim },
        });
      } catch (e) {
        if (!isConditionFailure(e)) throw e;
      }
    },

    async getAnswer(shopId, cid, answerId) {
      const out = await table.get({
        TableName: tableName,
        Key: keys.npsAnswer(shopId, cid, answerId),
        ConsistentRead: true,
      });
      return answerOf(out.Item as Item | undefined);
    },
  };
};
