import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The one factory for DynamoDB clients. The SDK itself honours AWS_ENDPOINT_URL_DYNAMODB,
 * which is how local runs and tests reach DynamoDB Local.
 */
export const createDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });

export { isConditionFailure, strip } from './items';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Items by key, 100 per BatchGetItem, retrying unprocessed keys with backoff. Returned in the
 * order of `keys` (missing items left out): BatchGetItem itself answers in any order.
 */
export const batchGetAll = async (
  db: DynamoDBDocumentClient, tableName: string, keys: readonly { pk: unknown; sk: unknown }[], options: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> => {
  const byKey = new Map<string, Record<string, unknown>>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  for (let i = 0; i < keys.length; i += 100) {
    let requested = keys.slice(i, i + 100).map((k) => ({ pk: k.pk, sk: k.sk }));
    for (let attempt = 0; requested.length; attempt++) {
      const out = await db.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: requested, ConsistentRead: options.consistent ?? false } } }));
      for (const item of out.Responses?.[tableName] ?? []) byKey.set(id(item as { pk: unknown; sk: unknown }), item);
      requested = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as typeof requested;
      if (requested.length) await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
  }
  return keys.map((k) => byKey.get(id(k))).filter((i): i is Record<string, unknown> => i !== undefined);
};
