import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Table } from './table';

/** The Table port over the SDK's document client (so benches and tests can observe its calls). */
export const sdkTable = (db: DynamoDBDocumentClient): Table => ({
  get: (input) => db.send(new GetCommand(input)),
  put: (input) => db.send(new PutCommand(input)),
  update: (input) => db.send(new UpdateCommand(input)),
  query: (input) => db.send(new QueryCommand(input)),
});
