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
    // Overloaded index: "list all X of a shop" and alternate-key lookups (e.g. by email).
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = TableDefinition['globalSecondaryIndexes'][number]['indexName'];

/** Default physical table name when BOOMERANG_TABLE_NAME is not set (local only). */
export const defaultLocalTableName = 'boomerang';
