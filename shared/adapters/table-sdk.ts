import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { Table } from './table';

/**
 * The Table port over the SDK's document client: for benches and tests that observe its calls. Never in a
 * Lambda bundle.
 */
export const sdkTable = (db: DynamoDBDocumentClient): Table => ({
  get: (input) => db.send(new GetCommand(input)),
  put: (input) => db.send(new PutCommand(input)),
  update: (input) => db.send(new UpdateCommand(input)),
  delete: (input) => db.send(new DeleteCommand(input)),
  query: (input) => db.send(new QueryCommand(input)),
  scan: (input) => db.send(new ScanCommand(input)),
  transactWrite: (input) => db.send(new TransactWriteCommand(input)),
  batchGet: (input) => db.send(new BatchGetCommand(input)),
  batchWrite: (input) => db.send(new BatchWriteCommand(input)),
});
