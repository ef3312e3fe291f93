/**
 * The one definition of Boomerang's single DynamoDB table. The CDK stack and the local
 * launcher (`npm start`, integration tests) both build the table from this object, so keys,
 * GSIs, TTL and stream settings cannot drift between AWS and a developer machine.
 *
 * Item key layout lives in shared/adapters/keys.ts, and so do the index names (`indexes`), which
 * adapters query by: shared code may not import infra/, so this file imports them.
 */
import { indexes } from '../shared/adapters/keys';

export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after this instant. */
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    // By time within a partition: work queues and listings (customers due for the daily job,
    // unsent e-mails, suppressions, referrals by status, redactions due) and the shop list.
    // KEYS_ONLY so that ordinary item updates never cost an index write.
    {
      indexName: indexes.byTime.name,
      partitionKey: indexes.byTime.pk,
      sortKey: indexes.byTime.sk,
      projection: 'KEYS_ONLY',
    },
    // Alternate keys: customer by e-mail hash; settled e-mails by status. KEYS_ONLY too.
    {
      indexName: indexes.alternate.name,
      partitionKey: indexes.alternate.pk,
      sortKey: indexes.alternate.sk,
      projection: 'KEYS_ONLY',
    },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = TableDefinition['globalSecondaryIndexes'][number]['indexName'];

/** Default physical table name when BOOMERANG_TABLE_NAME is not set (local only). */
export const defaultLocalTableName = 'boomerang';
