import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  BatchWriteCommandInput,
  BatchWriteCommandOutput,
  DeleteCommandInput,
  DeleteCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactWriteCommandInput,
  TransactWriteCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';

type Out<T> = Omit<T, '$metadata'>;

/**
 * The single table through the item operations the stores use, in the document client's
 * shapes (plain values, not AttributeValues; type-only imports, so nothing of the SDK is
 * bundled). Two implementations: table-http.ts, a small signed-HTTP client that Lambda
 * functions run on (the SDK's DynamoDB client would add about 230 KB and 50 ms to every cold
 * start), and table-sdk.ts over the SDK's document client, for benches and tests that watch
 * the calls through the SDK's middleware.
 *
 * Errors keep the SDK's shape: `name` is DynamoDB's error code (ConditionalCheckFailedException,
 * TransactionCanceledException with its CancellationReasons, …); items they carry stay
 * AttributeValues, as the SDK leaves them.
 */
export interface Table {
  get(input: GetCommandInput): Promise<Out<GetCommandOutput>>;
  put(input: PutCommandInput): Promise<Out<PutCommandOutput>>;
  update(input: UpdateCommandInput): Promise<Out<UpdateCommandOutput>>;
  delete(input: DeleteCommandInput): Promise<Out<DeleteCommandOutput>>;
  query(input: QueryCommandInput): Promise<Out<QueryCommandOutput>>;
  scan(input: ScanCommandInput): Promise<Out<ScanCommandOutput>>;
  transactWrite(input: TransactWriteCommandInput): Promise<Out<TransactWriteCommandOutput>>;
  batchGet(input: BatchGetCommandInput): Promise<Out<BatchGetCommandOutput>>;
  batchWrite(input: BatchWriteCommandInput): Promise<Out<BatchWriteCommandOutput>>;
}

/** Every page of a query, as the SDK's paginateQuery yields them. */
export async function* queryPages(table: Table, input: QueryCommandInput): AsyncGenerator<Out<QueryCommandOutput>> {
  let start = input.ExclusiveStartKey;
  do {
    const page = await table.query({ ...input, ExclusiveStartKey: start });
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every page of a scan (or of one parallel-scan segment), as the SDK's paginateScan yields them. */
export async function* scanPages(table: Table, input: ScanCommandInput): AsyncGenerator<Out<ScanCommandOutput>> {
  let start = input.ExclusiveStartKey;
  do {
    const page = await table.scan({ ...input, ExclusiveStartKey: start });
    yield page;
    start = page.LastEvaluatedKey;
  } while (start);
}
