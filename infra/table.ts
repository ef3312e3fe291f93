/**
 * The one definition of Boomerang's single DynamoDB table. The CDK stack and the local
 * launcher (`npm start`, integration tests) both build the table from this object, so keys,
 * GSIs, TTL and stream settings cannot drift between AWS and a developer machine.
 *
 * Item key layout lives in shared/adapters/keys.ts.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after this instant. */
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  globalSecondaryIndexes: [
    // Due-date index: "which customers of a shop need the daily job by date X" and the shop
    // list. KEYS_ONLY so that ordinary item updates never cost an index write.
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'KEYS_ONLY' },
    // Alternate keys: customer by e-mail hash, later referral code → customer. KEYS_ONLY too.
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = TableDefinition['globalSecondaryIndexes'][number]['indexName'];

/** Default physical table name when BOOMERANG_TABLE_NAME is not set (local only). */
export const defaultLocalTableName = 'boomerang';
