import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable } from '../../local/table';
import { createDocumentClient, isConditionFailure } from '../../shared/adapters/dynamo';
import type { Table } from '../../shared/adapters/table';
import { httpTable } from '../../shared/adapters/table-http';
import { sdkTable } from '../../shared/adapters/table-sdk';
import { configureTestEnv, randomId } from '../support/stack';

/**
 * The Table port's two implementations against DynamoDB Local, with the same expectations:
 * the lean client (table-http.ts, what the referral redirect runs on in Lambda) must behave as
 * the SDK's document client does.
 */
let tableName: string;
let dynamo: DynamoDBClient;
let doc: ReturnType<typeof createDocumentClient>;

beforeAll(async () => {
  ({ tableName } = configureTestEnv());
  dynamo = new DynamoDBClient({});
  doc = createDocumentClient();
  await ensureTable(dynamo, tableName);
});

afterAll(async () => {
  await dynamo.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
  dynamo.destroy();
  doc.destroy();
});

const implementations: [string, () => Table][] = [
  ['sdk', () => sdkTable(doc)],
  ['http', () => httpTable()],
];

describe.each(implementations)('%s table', (label, make) => {
  const pk = `TEST#${label}#${randomId('', 4)}`;

  it('puts and gets an item with every kind of value, leaving undefined out', async () => {
    const table = make();
    expect((await table.get({ TableName: tableName, Key: { pk, sk: 'missing' } })).Item).toBeUndefined();
    const item = {
      pk,
      sk: 'A',
      text: 'ünïcödé',
      count: 42,
      ratio: 0.25,
      big: 2 ** 40,
      yes: true,
      nothing: null,
      list: [1, 'two', { three: 3 }],
      map: { nested: { deep: ['x'] } },
      tags: new Set(['a', 'b']),
      gone: undefined,
    };
    await table.put({ TableName: tableName, Item: item });
    const { Item } = await table.get({ TableName: tableName, Key: { pk, sk: 'A' }, ConsistentRead: true });
    const { gone: _gone, ...stored } = item;
    expect(Item).toEqual(stored);
    expect(Item).not.toHaveProperty('gone');
    const projected = await table.get({
      TableName: tableName,
      Key: { pk, sk: 'A' },
      ProjectionExpression: 'pk, #c',
      ExpressionAttributeNames: { '#c': 'count' },
    });
    expect(projected.Item).toEqual({ pk, count: 42 });
  });

  it('refuses a conditional put with ConditionalCheckFailedException and the existing item as AttributeValues', async () => {
    const table = make();
    await table.put({ TableName: tableName, Item: { pk, sk: 'C', expiresAt: 100 } });
    const refused = await table
      .put({
        TableName: tableName,
        Item: { pk, sk: 'C', expiresAt: 200 },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isConditionFailure(refused)).toBe(true);
    expect((refused as { Item?: unknown }).Item).toMatchObject({ expiresAt: { N: '100' } });
  });

  it('updates with ADD and returns the new attributes', async () => {
    const table = make();
    const update = () =>
      table.update({
        TableName: tableName,
        Key: { pk, sk: 'U' },
        UpdateExpression: 'SET itemType = :t ADD clicks :one',
        ExpressionAttributeValues: { ':t': 'stats', ':one': 1 },
        ReturnValues: 'ALL_NEW',
      });
    await update();
    expect((await update()).Attributes).toEqual({ pk, sk: 'U', itemType: 'stats', clicks: 2 });
  });

  it('queries a page at a time', async () => {
    const table = make();
    const qpk = `${pk}#Q`;
    for (const sk of ['1', '2', '3']) await table.put({ TableName: tableName, Item: { pk: qpk, sk, n: Number(sk) } });
    const first = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': qpk },
      Limit: 2,
    });
    expect(first.Items).toEqual([
      { pk: qpk, sk: '1', n: 1 },
      { pk: qpk, sk: '2', n: 2 },
    ]);
    expect(first.LastEvaluatedKey).toEqual({ pk: qpk, sk: '2' });
    const rest = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': qpk },
      ExclusiveStartKey: first.LastEvaluatedKey,
    });
    expect(rest.Items).toEqual([{ pk: qpk, sk: '3', n: 3 }]);
  });

  it('writes in a transaction, or cancels it with the reasons and the failing item', async () => {
    const table = make();
    const tpk = `${pk}#T`;
    await table.transactWrite({
      TransactItems: [
        {
          Put: {
            TableName: tableName,
            Item: { pk: tpk, sk: '1', v: 1 },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: { pk: tpk, sk: '2' },
            UpdateExpression: 'ADD v :one',
            ExpressionAttributeValues: { ':one': 1 },
          },
        },
      ],
    });
    const cancelled = await table
      .transactWrite({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { pk: tpk, sk: '1', v: 9 },
              ConditionExpression: 'v = :v',
              ExpressionAttributeValues: { ':v': 5 },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
          { Delete: { TableName: tableName, Key: { pk: tpk, sk: '2' } } },
        ],
      })
      .then(
        () => undefined,
        (e: unknown) => e as Error & { CancellationReasons?: { Code?: string; Item?: unknown }[] },
      );
    expect(cancelled?.name).toBe('TransactionCanceledException');
    expect(cancelled?.CancellationReasons?.map((r) => r.Code)).toEqual(['ConditionalCheckFailed', 'None']);
    expect(cancelled?.CancellationReasons?.[0]?.Item).toMatchObject({ v: { N: '1' } });
    expect((await table.get({ TableName: tableName, Key: { pk: tpk, sk: '2' }, ConsistentRead: true })).Item).toEqual({
      pk: tpk,
      sk: '2',
      v: 1,
    });
  });

  it('batch-writes and batch-gets, deletes and scans', async () => {
    const table = make();
    const bpk = `${pk}#B`;
    const out = await table.batchWrite({
      RequestItems: { [tableName]: [1, 2, 3].map((n) => ({ PutRequest: { Item: { pk: bpk, sk: String(n), n } } })) },
    });
    expect(out.UnprocessedItems?.[tableName] ?? []).toEqual([]);
    await table.batchWrite({ RequestItems: { [tableName]: [{ DeleteRequest: { Key: { pk: bpk, sk: '3' } } }] } });
    const got = await table.batchGet({
      RequestItems: { [tableName]: { Keys: ['1', '2', '3'].map((sk) => ({ pk: bpk, sk })), ConsistentRead: true } },
    });
    expect(got.Responses?.[tableName]?.sort((a, b) => String(a.sk).localeCompare(String(b.sk)))).toEqual([
      { pk: bpk, sk: '1', n: 1 },
      { pk: bpk, sk: '2', n: 2 },
    ]);
    await table.delete({ TableName: tableName, Key: { pk: bpk, sk: '2' } });
    const scanned = await table.scan({
      TableName: tableName,
      FilterExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': bpk },
      ConsistentRead: true,
    });
    expect(scanned.Items).toEqual([{ pk: bpk, sk: '1', n: 1 }]);
  });

  it('throws a request DynamoDB rejects with its error code, without retrying it', async () => {
    const table = make();
    const rejected = await table.get({ TableName: `${tableName}-missing`, Key: { pk, sk: 'A' } }).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { attempts?: number } },
    );
    expect(rejected?.name).toBe('ResourceNotFoundException');
    expect(rejected?.$metadata?.attempts).toBe(1);
  });
});

/** The verifying side's own SHA-256 for the signer (not the client's). */
class NodeSha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h =
      secret === undefined
        ? createHash('sha256')
        : createHmac(
            'sha256',
            typeof secret === 'string'
              ? secret
              : ArrayBuffer.isView(secret)
                ? new Uint8Array(secret.buffer, secret.byteOffset, secret.byteLength)
                : new Uint8Array(secret),
          );
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

describe('http table', () => {
  const listen = async (handle: (req: IncomingMessage, body: string) => { status: number; body: string }) => {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const out = handle(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.0' }).end(out.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };
  const env = (endpoint: string) => ({
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
  });

  it('sends what it signed: the signature checks out over the headers and body the server received', async () => {
    let received: { req: IncomingMessage; body: string } | undefined;
    const { server, endpoint } = await listen((req, body) => {
      received = { req, body };
      return { status: 200, body: '{"Item":{"pk":{"S":"p"},"n":{"N":"1"}}}' };
    });
    try {
      const out = await httpTable({ env: env(endpoint) }).get({ TableName: 't', Key: { pk: 'p', sk: 's' } });
      expect(out.Item).toEqual({ pk: 'p', n: 1 });
      const { req, body } = received!;
      expect(req.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
      expect(req.headers['x-amz-security-token']).toBe('session');
      expect(JSON.parse(body)).toEqual({ TableName: 't', Key: { pk: { S: 'p' }, sk: { S: 's' } } });
      // What AWS does on its side: rebuild the request from what arrived and sign it again.
      const auth = String(req.headers.authorization);
      const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
      expect(signedHeaders).toEqual(
        expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type', 'x-amz-security-token']),
      );
      const date = String(req.headers['x-amz-date']);
      const signingDate = new Date(
        `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
      );
      const resigned = await new SignatureV4({
        service: 'dynamodb',
        region: 'eu-west-1',
        sha256: NodeSha256,
        credentials: {
          accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: env('').AWS_SECRET_ACCESS_KEY,
          sessionToken: 'session',
        },
      }).sign(
        {
          method: req.method!,
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: req.url!,
          query: {},
          body,
          headers: Object.fromEntries(
            signedHeaders.filter((h) => h !== 'authorization').map((h) => [h, String(req.headers[h])]),
          ),
        },
        { signingDate },
      );
      expect(resigned.headers.authorization).toBe(auth);
    } finally {
      server.close();
    }
  });

  it('retries throttling, then answers', async () => {
    let calls = 0;
    const { server, endpoint } = await listen(() =>
      ++calls < 3
        ? {
            status: 400,
            body: '{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}',
          }
        : { status: 200, body: '{}' },
    );
    try {
      expect(await httpTable({ env: env(endpoint) }).get({ TableName: 't', Key: { pk: 'p', sk: 's' } })).toEqual({});
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });

  it('gives up after three attempts on a connection that is refused', async () => {
    const { server, endpoint } = await listen(() => ({ status: 200, body: '{}' }));
    await new Promise((resolve) => server.close(resolve));
    const error = await httpTable({ env: env(endpoint) })
      .get({ TableName: 't', Key: { pk: 'p', sk: 's' } })
      .then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
    expect(error?.code).toBe('ECONNREFUSED');
  });
});
