import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { awsService, jsonError } from '../../shared/adapters/aws-http';
import { fixedClock } from '../../shared/adapters/clock';
import { s3Bucket, s3ExportSink } from '../../shared/adapters/export-sink';
import { sesClient, sesMailer } from '../../shared/adapters/mailer';
import { stepFunctions, stepFunctionsLauncher } from '../../shared/adapters/nightly-launcher';
import { loadOperatorKey } from '../../shared/adapters/operator-key';
import { parseEnv } from '../../shared/schemas/env';
import { sendErrorKind } from '../../shared/domain/emails/outbox';

/**
 * The small AWS clients (shared/adapters/aws-http.ts and its users) against a fake endpoint.
 * Every request is checked as AWS checks it: the signature is recomputed here, from the
 * method, path, query, headers and body that arrived, by an independent SigV4 implementation
 * (which also accepts what the AWS SDK itself sends, see the presigned URL test).
 */
const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const credentials = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: secret,
  AWS_SESSION_TOKEN: 'token',
};

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface Received {
  method: string;
  path: string;
  query: [string, string][];
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** SigV4 as the service computes it. S3 signs the path as sent; the others encode it once more. */
const signatureOf = (r: Received, s3: boolean): { expected: string; given: string } => {
  const queryAuth = r.query.find(([k]) => k === 'X-Amz-Signature');
  let credential: string;
  let signedHeaders: string[];
  let given: string;
  let date: string;
  if (queryAuth) {
    const q = Object.fromEntries(r.query);
    credential = q['X-Amz-Credential']!;
    signedHeaders = q['X-Amz-SignedHeaders']!.split(';');
    given = q['X-Amz-Signature']!;
    date = q['X-Amz-Date']!;
  } else {
    const auth = String(r.headers.authorization);
    credential = /Credential=([^,]+)/.exec(auth)![1]!;
    signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)![1]!.split(';');
    given = /Signature=([0-9a-f]+)/.exec(auth)![1]!;
    date = String(r.headers['x-amz-date']);
  }
  const [, shortDate, region, service] = credential.split('/') as [string, string, string, string];
  const path = s3 ? r.path : r.path.split('/').map(encode).join('/');
  const query = r.query
    .filter(([k]) => k !== 'X-Amz-Signature')
    .map(([k, v]) => `${encode(k)}=${encode(v)}`)
    .sort()
    .join('&');
  const headers = signedHeaders.map((h) => `${h}:${String(r.headers[h]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const payload = queryAuth && s3 ? 'UNSIGNED-PAYLOAD' : String(r.headers['x-amz-content-sha256'] ?? sha256(r.body));
  const canonical = [r.method, path, query, headers, signedHeaders.join(';'), payload].join('\n');
  const scope = `${shortDate}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', date, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), 'aws4_request');
  return { expected: createHmac('sha256', key).update(toSign).digest('hex'), given };
};

const receivedFromUrl = (url: string): Received => {
  const u = new URL(url);
  return {
    method: 'GET',
    path: u.pathname,
    query: [...u.searchParams.entries()],
    headers: { host: u.host },
    body: Buffer.alloc(0),
  };
};

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A fake AWS endpoint: records every request and answers with `answer`. */
const fakeAws = async (
  answer: (r: Received) => { status?: number; headers?: Record<string, string>; body?: string },
) => {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const u = new URL(req.url!, 'http://x');
      const r = {
        method: req.method!,
        path: u.pathname,
        query: [...u.searchParams.entries()],
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(r);
      const out = answer(r);
      res.writeHead(out.status ?? 200, out.headers ?? {}).end(out.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  return { received, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

describe('S3 export sink', () => {
  it('puts, gets and misses objects, signed as S3 checks them', async () => {
    const objects = new Map<string, Buffer>();
    const aws = await fakeAws((r) => {
      if (r.method === 'PUT') {
        objects.set(r.path, r.body);
        return {};
      }
      const body = objects.get(r.path);
      return body
        ? { body: body.toString() }
        : {
            status: 404,
            body: '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
          };
    });
    const sink = s3ExportSink(
      s3Bucket('exports-bucket', { ...credentials, AWS_ENDPOINT_URL_S3: aws.url }),
      fixedClock('2026-01-02T00:00:00Z'),
    );
    await sink.put('exports/shop@1/2026-01-01/customers.csv', 'a,b\n1,ü\n', 'text/csv; charset=utf-8');
    expect(await sink.get('exports/shop@1/2026-01-01/customers.csv')).toBe('a,b\n1,ü\n');
    expect(await sink.get('exports/shop@1/2026-01-01/missing.csv')).toBeUndefined();
    const put = aws.received[0]!;
    expect(put.path).toBe('/exports-bucket/exports/shop%401/2026-01-01/customers.csv');
    expect(put.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(put.headers['x-amz-content-sha256']).toBe(sha256(Buffer.from('a,b\n1,ü\n')));
    for (const r of aws.received) {
      const { expected, given } = signatureOf(r, true);
      expect(given).toBe(expected);
    }
  });

  it('deletes a prefix page by page, each DeleteObjects with its Content-MD5', async () => {
    const aws = await fakeAws((r) => {
      if (r.method === 'POST') return { body: '<DeleteResult/>' };
      const token = r.query.find(([k]) => k === 'continuation-token')?.[1];
      return token
        ? {
            body: '<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>jobs/s/3</Key></Contents></ListBucketResult>',
          }
        : {
            body: '<ListBucketResult><IsTruncated>true</IsTruncated><NextContinuationToken>t+/2</NextContinuationToken><Contents><Key>jobs/s/1</Key></Contents><Contents><Key>jobs/s/2</Key></Contents></ListBucketResult>',
          };
    });
    await s3ExportSink(
      s3Bucket('b', { ...credentials, AWS_ENDPOINT_URL_S3: aws.url }),
      fixedClock('2026-01-02T00:00:00Z'),
    ).deletePrefix('jobs/s/');
    expect(aws.received.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query).toString()}`)).toEqual([
      'GET /b/?list-type=2&prefix=jobs%2Fs%2F',
      'POST /b/?delete=',
      'GET /b/?continuation-token=t%2B%2F2&list-type=2&prefix=jobs%2Fs%2F',
      'POST /b/?delete=',
    ]);
    const deletes = aws.received.filter((r) => r.method === 'POST');
    expect(deletes.map((r) => [...r.body.toString().matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]))).toEqual([
      ['jobs/s/1', 'jobs/s/2'],
      ['jobs/s/3'],
    ]);
    for (const r of deletes) expect(r.headers['content-md5']).toBe(createHash('md5').update(r.body).digest('base64'));
    for (const r of aws.received) {
      const { expected, given } = signatureOf(r, true);
      expect(given).toBe(expected);
    }
  });

  it('presigns a download link that S3 accepts, as the SDK presigns one', async () => {
    const sink = s3ExportSink(s3Bucket('exports-bucket', credentials), fixedClock('2026-01-02T00:00:00Z'));
    const link = await sink.downloadUrl('exports/shop-1/2026-01-01/customers.csv', 3600);
    const url = new URL(link.url);
    expect(url.host).toBe('exports-bucket.s3.eu-west-1.amazonaws.com');
    expect(url.pathname).toBe('/exports/shop-1/2026-01-01/customers.csv');
    expect(url.searchParams.get('response-content-disposition')).toBe('attachment; filename="customers.csv"');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('3600');
    expect(url.searchParams.get('X-Amz-Security-Token')).toBe('token');
    const ours = signatureOf(receivedFromUrl(link.url), true);
    expect(ours.given).toBe(ours.expected);
    // The verifier agrees with the SDK's own presigner too, so it checks what S3 checks.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
    const { GetObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    const sdk = new S3Client({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret, sessionToken: 'token' },
    });
    const sdkUrl = await getSignedUrl(
      sdk,
      new GetObjectCommand({ Bucket: 'exports-bucket', Key: 'exports/shop-1/2026-01-01/customers.csv' }),
      { expiresIn: 3600 },
    );
    const theirs = signatureOf(receivedFromUrl(sdkUrl), true);
    expect(theirs.given).toBe(theirs.expected);
    sdk.destroy();
  });
});

describe('JSON-protocol clients', () => {
  it('Secrets Manager: GetSecretValue for the operator key', async () => {
    const aws = await fakeAws(() => ({ body: '{"SecretString":"the-operator-key-0123456789"}' }));
    Object.assign(process.env, credentials, { AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url });
    try {
      const env = parseEnv({ BOOMERANG_OPERATOR_KEY_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' });
      expect(await loadOperatorKey(env)).toBe('the-operator-key-0123456789');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    }
    const r = aws.received[0]!;
    expect(r.headers['x-amz-target']).toBe('secretsmanager.GetSecretValue');
    expect(r.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(JSON.parse(r.body.toString())).toEqual({ SecretId: 'arn:aws:secretsmanager:eu-west-1:1:secret:k' });
    const { expected, given } = signatureOf(r, false);
    expect(given).toBe(expected);
  });

  it('Step Functions: StartExecution of a nightly run', async () => {
    const aws = await fakeAws(() => ({ body: '{"executionArn":"arn:x","startDate":1}' }));
    Object.assign(process.env, credentials, { AWS_ENDPOINT_URL_SFN: aws.url });
    try {
      await stepFunctionsLauncher(stepFunctions(), 'arn:aws:states:eu-west-1:1:stateMachine:n').start({
        shopId: 's',
        jobId: 'j1',
        asOf: '2026-01-01',
        totalSegments: 4,
      });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SFN;
    }
    const r = aws.received[0]!;
    expect(r.headers['x-amz-target']).toBe('AWSStepFunctions.StartExecution');
    const body = JSON.parse(r.body.toString()) as { stateMachineArn: string; name: string; input: string };
    expect(body.stateMachineArn).toBe('arn:aws:states:eu-west-1:1:stateMachine:n');
    expect(JSON.parse(body.input)).toEqual({ shopId: 's', jobId: 'j1', asOf: '2026-01-01', totalSegments: 4 });
    const { expected, given } = signatureOf(r, false);
    expect(given).toBe(expected);
  });

  it('SES: SendEmail, and its errors as sendErrorKind reads them', async () => {
    let reject = false;
    const aws = await fakeAws(() =>
      reject
        ? {
            status: 400,
            headers: { 'x-amzn-errortype': 'MessageRejected:http://internal.amazon.com/coral/com.amazonaws.sesv2/' },
            body: '{"message":"Email address is not verified."}',
          }
        : { body: '{"MessageId":"m-1"}' },
    );
    Object.assign(process.env, credentials, { AWS_ENDPOINT_URL_SESV2: aws.url });
    try {
      const mailer = sesMailer(sesClient({ maxAttempts: 1 }), 'boomerang');
      const mail = {
        from: 'Shop <shop@example.com>',
        to: ['ann@example.com'],
        subject: 'Hi',
        html: '<p>Hi</p>',
        text: 'Hi',
        headers: [{ name: 'X-A', value: '1' }],
        tags: { shop: 's' },
      };
      expect(await mailer.send(mail)).toEqual({ messageId: 'm-1' });
      reject = true;
      const error = await mailer.send(mail).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata: { httpStatusCode: number } },
      );
      expect(error?.name).toBe('MessageRejected');
      expect(error?.message).toBe('Email address is not verified.');
      expect(error?.$metadata.httpStatusCode).toBe(400);
      expect(sendErrorKind(error)).toBe('permanent');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SESV2;
    }
    const r = aws.received[0]!;
    expect(r.path).toBe('/v2/email/outbound-emails');
    expect(JSON.parse(r.body.toString())).toEqual({
      FromEmailAddress: 'Shop <shop@example.com>',
      Destination: { ToAddresses: ['ann@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'Hi', Charset: 'UTF-8' },
          Body: { Html: { Data: '<p>Hi</p>', Charset: 'UTF-8' }, Text: { Data: 'Hi', Charset: 'UTF-8' } },
          Headers: [{ Name: 'X-A', Value: '1' }],
        },
      },
      EmailTags: [{ Name: 'shop', Value: 's' }],
      ConfigurationSetName: 'boomerang',
    });
    expect(aws.received).toHaveLength(2);
    const { expected, given } = signatureOf(r, false);
    expect(given).toBe(expected);
  });

  it('a 5xx from SES is a maybe-sent, and the sender does not retry it itself', async () => {
    const aws = await fakeAws(() => ({ status: 503, body: '' }));
    Object.assign(process.env, credentials, { AWS_ENDPOINT_URL_SESV2: aws.url });
    try {
      const error = await sesMailer(sesClient({ maxAttempts: 1 }))
        .send({ from: 'a@example.com', to: ['b@example.com'], subject: 's', html: 'h', text: 't' })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(sendErrorKind(error)).toBe('maybe_sent');
    } finally {
      delete process.env.AWS_ENDPOINT_URL_SESV2;
    }
    expect(aws.received).toHaveLength(1);
  });
});

describe('retries', () => {
  it('back off by the injected random source (here: none at all)', async () => {
    let answered = 0;
    const aws = await fakeAws(() => (++answered < 3 ? { status: 503, body: '' } : { body: '{}' }));
    const draws: number[] = [];
    const service = awsService({
      service: 'sqs',
      endpointId: 'SQS',
      host: () => 'unused',
      error: jsonError,
      env: { ...credentials, AWS_ENDPOINT_URL_SQS: aws.url },
      random: () => (draws.push(0), 0),
    });
    await service.send({ method: 'POST', path: '/', body: '{}' });
    expect(aws.received).toHaveLength(3);
    expect(draws).toEqual([0, 0]);
  });
});
