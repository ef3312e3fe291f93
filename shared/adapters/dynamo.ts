import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The SDK's document client, for local tooling, tests and benches (which watch its calls).
 * Lambda functions reach DynamoDB through the Table port (table-http.ts) instead. The SDK
 * itself honours AWS_ENDPOINT_URL_DYNAMODB, which is how local runs and tests reach DynamoDB Local.
 */
export const createDocumentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });

export { batchGetAll, isConditionFailure, strip } from './items';
