import type {
  GetCommandInput, GetCommandOutput, PutCommandInput, PutCommandOutput, QueryCommandInput, QueryCommandOutput,
  UpdateCommandInput, UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

/**
 * The single table through the few item operations a small function needs, in the document
 * client's shapes (plain values, not AttributeValues). Two implementations: table-sdk.ts over
 * the AWS SDK's document client (the full runtime) and table-http.ts, a lean client that
 * bundles no SDK client, for the functions whose cold start must stay small (lean-runtime.ts).
 * Stores written against this port (click-store.ts, shop-reader.ts) work with either.
 *
 * Errors keep the SDK's shape: `name` is DynamoDB's error code (e.g.
 * ConditionalCheckFailedException, see isConditionFailure), a refused put carries `Item` as
 * AttributeValues when ReturnValuesOnConditionCheckFailure asked for it.
 */
export interface Table {
  get(input: GetCommandInput): Promise<Pick<GetCommandOutput, 'Item'>>;
  put(input: PutCommandInput): Promise<Pick<PutCommandOutput, 'Attributes'>>;
  update(input: UpdateCommandInput): Promise<Pick<UpdateCommandOutput, 'Attributes'>>;
  query(input: QueryCommandInput): Promise<Pick<QueryCommandOutput, 'Items' | 'Count' | 'LastEvaluatedKey'>>;
}
