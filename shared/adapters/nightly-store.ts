import { outgoingEventItem } from './outgoing-items';
import type {
  JobError,
  ModelChoice,
  JobProgress,
  NightlyJob,
  NightlyResult,
  NightlyStore,
  ScannedItem,
  SegmentRecord,
  SegmentWrite,
} from '../app/ports/nightly';
import { batchGetAll, isTransactionConditionFailure, strip, written } from './items';
import { newId } from './ids';
import { indexes, keys } from './keys';
import { indexedPage } from './listing';
import { sleep } from './sleep';
import { summarySourceOf } from './customer-summary-store';
import { scanShopItems } from './shop-scan';
import { needsFeedbackAlert } from '../domain/surveys/alerts';
import type { Table } from './table';
import { forEachLimited } from '../domain/for-each-limited';

type Item = Record<string, unknown>;

/** Job records are kept this long (TTL). */
export const jobRetentionDays = 90;

/** Concurrent DynamoDB calls per shard: enough to hide latency, few enough not to throttle a new table. */
const writeConcurrency = 8;

const segmentFrom = (item: Item | undefined): SegmentRecord | undefined => strip<SegmentRecord>(item);

const jobFrom = (item: Item | undefined): NightlyJob | undefined => {
  const j = strip<NightlyJob & { expiresAt?: number }>(item);
  if (!j) return undefined;
  const { expiresAt: _ttl, ...job } = j;
  return { ...job, shopId: String(item!.shopId) };
};

/** The nightly job's DynamoDB side: the shop scan, segment items with their events, NPS answers, job records. */
export const dynamoNightlyStore = (table: Table, tableName: string): NightlyStore => {
  const segmentItem = (shopId: string, r: SegmentRecord): Item => ({
    ...keys.segment(shopId, r.cid),
    itemType: 'segment',
    shopId,
    ...r,
  });

  return {
    async *scanShop(shopId, segment, totalSegments) {
      for await (const page of scanShopItems(table, tableName, shopId, segment, totalSegments)) {
        const items = page.items.map(summarySourceOf).filter((i): i is ScannedItem => i !== undefined);
        if (items.length) yield items;
      }
    },

    async getModelChoice(shopId) {
      const out = await table.get({ TableName: tableName, Key: keys.nightlyModelChoice(shopId) });
      if (!out.Item) return undefined;
      return { model: out.Item.model as ModelChoice['model'], asOf: String(out.Item.asOf) };
    },

    async putModelChoice(shopId, choice) {
      // A choice as of a later day stays: a replay never moves it back.
      await written(
        table.put({
          TableName: tableName,
          Item: { ...keys.nightlyModelChoice(shopId), itemType: 'model_choice', shopId, ...choice },
          ConditionExpression: 'attribute_not_exists(pk) OR #asOf <= :asOf',
          ExpressionAttributeNames: { '#asOf': 'asOf' },
          ExpressionAttributeValues: { ':asOf': choice.asOf },
        }),
      );
    },

    async getSegment(shopId, cid) {
      const out = await table.get({ TableName: tableName, Key: keys.segment(shopId, cid) });
      return segmentFrom(out.Item);
    },

    async getSegments(shopId, cids) {
      const found = new Map<string, SegmentRecord>();
      for (const item of await batchGetAll(
        table,
        tableName,
        cids.map((cid) => keys.segment(shopId, cid)),
        { consistent: true },
      )) {
        const r = segmentFrom(item);
        if (r) found.set(r.cid, r);
      }
      return found;
    },

    async writeSegments(shopId, writes) {
      // BatchWriteItem takes no conditions: a replay racing a later night's run of the same shop
      // could leave an older unchanged segment until the next run (the replay skips segments it
      // read as newer; only the race between that read and this write is open).
      const plain = writes.filter((w) => !w.event);
      const batches: SegmentWrite[][] = [];
      for (let i = 0; i < plain.length; i += 25) batches.push(plain.slice(i, i + 25));
      await forEachLimited(batches, writeConcurrency, async (batch) => {
        let requests = batch.map((w) => ({ PutRequest: { Item: segmentItem(shopId, w.record) } }));
        for (let attempt = 0; requests.length; attempt++) {
          const out = await table.batchWrite({ RequestItems: { [tableName]: requests } });
          requests = (out.UnprocessedItems?.[tableName] ?? []) as typeof requests;
          if (requests.length) await sleep(Math.min(1000, 50 * 2 ** attempt));
        }
      });
      // A change of segment and its event are written together, or neither. The guard keeps a
      // segment written by a run for a later day (a newer night racing a replay).
      const moved = writes.filter((w): w is SegmentWrite & { event: NonNullable<SegmentWrite['event']> } => !!w.event);
      await forEachLimited(moved, writeConcurrency, async (w) => {
        const eventId = newId();
        try {
          await table.transactWrite({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: segmentItem(shopId, w.record),
                  ConditionExpression: 'attribute_not_exists(pk) OR #asOf <= :asOf',
                  ExpressionAttributeNames: { '#asOf': 'asOf' },
                  ExpressionAttributeValues: { ':asOf': w.record.asOf },
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...keys.event(shopId, w.record.cid, eventId),
                    itemType: 'event',
                    shopId,
                    eventId,
                    eventType: w.event.eventType,
                    cid: w.record.cid,
                    data: w.event.data,
                    at: w.event.at,
                  },
                },
              },
              ...(w.outgoing
                ? [
                    {
                      Put: {
                        TableName: tableName,
                        Item: outgoingEventItem(shopId, newId(), w.outgoing),
                        ConditionExpression: 'attribute_not_exists(pk)',
                      },
                    },
                  ]
                : []),
            ],
          });
        } catch (e) {
          if (isTransactionConditionFailure(e, 0)) return;
          throw e;
        }
      });
    },

    async putNpsAnswer(shopId, answer) {
      return written(
        table.put({
          TableName: tableName,
          Item: {
            ...keys.npsAnswer(shopId, answer.cid, answer.answerId),
            ...keys.npsListing(shopId, answer.at, answer.answerId),
            // Written with the answer, so no answer that needs an alert can miss the batch.
            ...(needsFeedbackAlert(answer) ? keys.feedbackPending(shopId, answer.at, answer.answerId) : {}),
            itemType: 'nps',
            shopId,
            ...answer,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async createJob(job) {
      return written(
        table.put({
          TableName: tableName,
          Item: {
            ...keys.nightlyJob(job.shopId, job.jobId),
            ...keys.nightlyJobListing(job.shopId, job.createdAt, job.jobId),
            itemType: 'job',
            ...job,
            expiresAt: Math.ceil(Date.parse(job.createdAt) / 1000) + jobRetentionDays * 86_400,
          },
          // A failed run may be started again under the same id (a scheduled night's retry).
          ConditionExpression: 'attribute_not_exists(pk) OR #s = :failed',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':failed': 'failed' },
        }),
      );
    },

    async getJob(shopId, jobId) {
      const out = await table.get({ TableName: tableName, Key: keys.nightlyJob(shopId, jobId), ConsistentRead: true });
      return jobFrom(out.Item);
    },

    async listJobs(shopId, page) {
      const { items, nextCursor } = await indexedPage(table, tableName, {
        index: indexes.byTime,
        partition: keys.nightlyJobsPartition(shopId),
        pkPrefix: keys.nightlyJobPrefix(shopId),
        sk: 'JOB',
        limit: page.limit,
        newestFirst: true,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
      return {
        items: items.map(jobFrom).filter((j): j is NightlyJob => j !== undefined),
        ...(nextCursor ? { nextCursor } : {}),
      };
    },

    async completeJob(shopId, jobId, result: NightlyResult, at) {
      await table.update({
        TableName: tableName,
        Key: keys.nightlyJob(shopId, jobId),
        UpdateExpression: 'SET #s = :s, #r = :r, updatedAt = :at REMOVE #e',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'result', '#e': 'error' },
        ExpressionAttributeValues: { ':s': 'succeeded', ':r': result, ':at': at },
      });
    },

    async failJob(shopId, jobId, error: JobError, at) {
      return written(
        table.update({
          TableName: tableName,
          Key: keys.nightlyJob(shopId, jobId),
          UpdateExpression: 'SET #s = :s, #e = :e, updatedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #s <> :succeeded',
          ExpressionAttributeNames: { '#s': 'status', '#e': 'error' },
          ExpressionAttributeValues: { ':s': 'failed', ':e': error, ':at': at, ':succeeded': 'succeeded' },
        }),
      );
    },

    async setJobProgress(shopId, jobId, progress: JobProgress, at) {
      return written(
        table.update({
          TableName: tableName,
          Key: keys.nightlyJob(shopId, jobId),
          UpdateExpression: 'SET #p = :p, updatedAt = :at',
          // A job that has ended keeps the progress it ended with.
          ConditionExpression: 'attribute_exists(pk) AND #s = :running',
          ExpressionAttributeNames: { '#p': 'progress', '#s': 'status' },
          ExpressionAttributeValues: { ':p': progress, ':at': at, ':running': 'running' },
        }),
      );
    },
  };
};
