import { marshall, unmarshall, type marshallOptions } from '@aws-sdk/util-dynamodb';
import type { Random } from '../app/ports/random';
import { awsJsonCall, awsService, jsonError, type Env } from './aws-http';
import type { Table } from './table';

/**
 * The Table port over DynamoDB's JSON protocol (aws-http.ts signs and sends it), with the SDK's
 * own marshaller — what every Lambda function's stores run on, in place of the SDK's DynamoDB
 * client. Inputs and outputs are the document client's; so are the errors (see aws-http.ts).
 */
export interface HttpTableOptions {
  env?: Env;
  /** @default 3 */
  maxAttempts?: number;
  /**
   * Per attempt, connecting included. @default 10 000: a safety net for a connection that
   * hangs (a page of a scan against a busy DynamoDB Local can take seconds).
   */
  requestTimeoutMs?: number;
  /** The retries' jitter (aws-http.ts). */
  random?: Random;
}

type Doc = Record<string, unknown>;
type Wire = Parameters<typeof unmarshall>[0];

/** As the process's document client was configured: undefined attributes are left out. */
const marshalling: marshallOptions = { removeUndefinedValues: true };
const toWire = (value: unknown): unknown => (value === undefined ? undefined : marshall(value as Doc, marshalling));
const fromWire = (value: unknown): unknown => (value === undefined ? undefined : unmarshall(value as Wire));

/** Applies `convert` to the item-shaped fields of an object (and leaves everything else as it is). */
const convertFields = (o: unknown, fields: readonly string[], convert: (v: unknown) => unknown): Doc => {
  const out: Doc = { ...(o as Doc) };
  for (const f of fields) if (out[f] !== undefined) out[f] = convert(out[f]);
  return out;
};

const perTable = (requests: unknown, each: (request: unknown) => unknown): Doc | undefined =>
  requests === undefined
    ? undefined
    : Object.fromEntries(Object.entries(requests as Doc).map(([table, r]) => [table, each(r)]));

const requestToWire = (input: Doc): Doc => {
  const wire = convertFields(input, ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'], toWire);
  if (Array.isArray(input.TransactItems)) {
    wire.TransactItems = input.TransactItems.map((t: Doc) =>
      Object.fromEntries(
        Object.entries(t).map(([kind, op]) => [
          kind,
          convertFields(op, ['Key', 'Item', 'ExpressionAttributeValues'], toWire),
        ]),
      ),
    );
  }
  if (input.RequestItems !== undefined) {
    wire.RequestItems = perTable(input.RequestItems, (r) =>
      Array.isArray(r)
        ? // BatchWriteItem: [{ PutRequest: { Item } } | { DeleteRequest: { Key } }]
          r.map((w: Doc) => ({
            ...(w.PutRequest ? { PutRequest: convertFields(w.PutRequest, ['Item'], toWire) } : {}),
            ...(w.DeleteRequest ? { DeleteRequest: convertFields(w.DeleteRequest, ['Key'], toWire) } : {}),
          }))
        : // BatchGetItem: { Keys, … }
          { ...(r as Doc), Keys: ((r as Doc).Keys as unknown[]).map(toWire) },
    );
  }
  return wire;
};

const responseFromWire = (output: Doc): Doc => {
  const out = convertFields(output, ['Item', 'Attributes', 'LastEvaluatedKey'], fromWire);
  if (Array.isArray(output.Items)) out.Items = output.Items.map(fromWire);
  if (output.Responses !== undefined)
    out.Responses = perTable(output.Responses, (items) => (items as unknown[]).map(fromWire));
  if (output.UnprocessedKeys !== undefined) {
    out.UnprocessedKeys = perTable(output.UnprocessedKeys, (r) => ({
      ...(r as Doc),
      Keys: ((r as Doc).Keys as unknown[]).map(fromWire),
    }));
  }
  if (output.UnprocessedItems !== undefined) {
    out.UnprocessedItems = perTable(output.UnprocessedItems, (writes) =>
      (writes as Doc[]).map((w) => ({
        ...(w.PutRequest ? { PutRequest: convertFields(w.PutRequest, ['Item'], fromWire) } : {}),
        ...(w.DeleteRequest ? { DeleteRequest: convertFields(w.DeleteRequest, ['Key'], fromWire) } : {}),
      })),
    );
  }
  return out;
};

export const httpTable = (options: HttpTableOptions = {}): Table => {
  const dynamo = awsJsonCall(
    awsService({
      service: 'dynamodb',
      endpointId: 'DYNAMODB',
      host: (region) => `dynamodb.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`,
      error: jsonError,
      ...(options.env ? { env: options.env } : {}),
      maxAttempts: options.maxAttempts ?? 3,
      timeoutMs: options.requestTimeoutMs ?? 10_000,
      ...(options.random ? { random: options.random } : {}),
    }),
    'DynamoDB_20120810',
    '1.0',
  );
  const call = async (operation: string, input: object): Promise<Doc> =>
    responseFromWire(await dynamo<Doc>(operation, requestToWire(input as Doc)));
  // The outputs are the document client's shapes by construction (responseFromWire).
  /* eslint-disable @typescript-eslint/no-explicit-any */
  return {
    get: async (input) => call('GetItem', input) as any,
    put: async (input) => call('PutItem', input) as any,
    update: async (input) => call('UpdateItem', input) as any,
    delete: async (input) => call('DeleteItem', input) as any,
    query: async (input) => call('Query', input) as any,
    scan: async (input) => call('Scan', input) as any,
    transactWrite: async (input) => call('TransactWriteItems', input) as any,
    batchGet: async (input) => call('BatchGetItem', input) as any,
    batchWrite: async (input) => call('BatchWriteItem', input) as any,
  };
  /* eslint-enable @typescript-eslint/no-explicit-any */
};
