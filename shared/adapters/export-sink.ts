import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { awsError, awsService, uriEncode, type AwsResponse, type AwsService, type Env } from './aws-http';
import type { Clock } from '../app/ports/clock';
import type { DownloadLink, ExportSink } from '../app/ports/nightly';
import { signDownloadToken } from './download-token';
import { randomToken } from './secrets';

/** Keys are S3-style relative paths of safe characters; nothing may climb out of the root. */
const checkKey = (key: string): void => {
  if (!/^[\w.@=-]+(\/[\w.@=-]+)*\/?$/.test(key) || key.split('/').some((p) => p === '.' || p === '..')) {
    throw new RangeError(`Not a valid export key: ${key}`);
  }
};

const fileName = (key: string) => key.slice(key.lastIndexOf('/') + 1);

export const contentTypeOf = (key: string): string =>
  key.endsWith('.csv')
    ? 'text/csv; charset=utf-8'
    : key.endsWith('.json')
      ? 'application/json; charset=utf-8'
      : 'application/octet-stream';

export interface FileSinkOptions {
  /** Directory the keys are relative to (`${BOOMERANG_DATA_DIR}/exports`). */
  root: string;
  /** Base URL of the gateway that serves `GET /exports/download`. */
  baseUrl: string;
  /** The download-token secret (downloadSecretFrom the operator key). */
  secret: () => Promise<Buffer>;
  clock: Clock;
}

/** The local sink: files under a directory, downloads through the gateway with a signed token. */
export const fileExportSink = (o: FileSinkOptions): ExportSink => {
  const root = resolve(o.root);
  const pathOf = (key: string) => {
    checkKey(key);
    const p = resolve(root, key);
    if (p !== root && !p.startsWith(root + sep)) throw new RangeError(`Not a valid export key: ${key}`);
    return p;
  };
  return {
    async put(key, body) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      // Write then rename, so a reader never sees half a file.
      const tmp = `${path}.${randomToken(6)}.tmp`;
      await writeFile(tmp, body, 'utf8');
      await rename(tmp, path);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key), 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR')
          return undefined;
        throw e;
      }
    },
    async deletePrefix(prefix) {
      if (!prefix.endsWith('/')) throw new RangeError(`A prefix ends with "/": ${prefix}`);
      await rm(pathOf(prefix), { recursive: true, force: true });
    },
    async downloadUrl(key, expiresInSeconds): Promise<DownloadLink> {
      checkKey(key);
      const exp = Math.floor(o.clock.now().getTime() / 1000) + expiresInSeconds;
      const token = signDownloadToken(await o.secret(), { key, exp });
      return {
        key,
        url: `${o.baseUrl.replace(/\/+$/, '')}/exports/download?token=${token}`,
        expiresAt: new Date(exp * 1000).toISOString(),
      };
    },
  };
};

/** The text of one XML element (S3 answers XML; export keys are plain, so no entities but the five). */
const xmlValues = (xml: string, element: string): string[] =>
  [...xml.matchAll(new RegExp(`<${element}>([^<]*)</${element}>`, 'g'))].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );

/** S3's XML errors: `<Error><Code>NoSuchKey</Code><Message>…</Message></Error>` (none on a HEAD). */
const s3Error = (response: AwsResponse, attempts: number) => {
  const xml = response.body.toString('utf8');
  return awsError(
    response.status,
    xmlValues(xml, 'Code')[0] ?? (response.status === 404 ? 'NotFound' : undefined),
    xmlValues(xml, 'Message')[0],
    attempts,
  );
};

/**
 * One bucket through S3's REST API (aws-http.ts signs and sends it): virtual-hosted style, or
 * path style at AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL.
 */
export const s3Bucket = (
  bucket: string,
  env: Env = process.env,
): { service: AwsService; path: (key: string) => string } => ({
  service: awsService({
    service: 's3',
    endpointId: 'S3',
    host: (region) => `${bucket}.s3.${region}.amazonaws.com`,
    error: s3Error,
    env,
    // S3 signs the path exactly as sent: encoded once, here.
    uriEscapePath: false,
  }),
  path: (key) =>
    `${(env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL) ? `/${bucket}` : ''}/${key.split('/').map(uriEncode).join('/')}`,
});

/**
 * The AWS sink: objects in the export bucket, downloads by presigned GET. A presigned URL is
 * valid for the requested time or as long as the credentials that signed it, whichever ends
 * first — a Lambda role's session lasts a few hours, so "24 h" links signed by a function may
 * stop working sooner (`expiresAt` states the request, not that limit).
 */
export const s3ExportSink = (bucket: ReturnType<typeof s3Bucket>, clock: Clock): ExportSink => ({
  async put(key, body, contentType) {
    checkKey(key);
    await bucket.service.send({
      method: 'PUT',
      path: bucket.path(key),
      headers: { 'content-type': contentType },
      body: Buffer.from(body, 'utf8'),
    });
  },
  async get(key) {
    checkKey(key);
    try {
      return (await bucket.service.send({ method: 'GET', path: bucket.path(key) })).body.toString('utf8');
    } catch (e) {
      if ((e as Error).name === 'NoSuchKey') return undefined;
      throw e;
    }
  },
  async deletePrefix(prefix) {
    checkKey(prefix);
    let token: string | undefined;
    do {
      const query: Record<string, string> = {
        'list-type': '2',
        prefix,
        ...(token ? { 'continuation-token': token } : {}),
      };
      const list = (await bucket.service.send({ method: 'GET', path: bucket.path(''), query })).body.toString('utf8');
      const keys = xmlValues(list, 'Key');
      if (keys.length) {
        const xml = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${keys.map((k) => `<Object><Key>${k.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Key></Object>`).join('')}</Delete>`;
        await bucket.service.send({
          method: 'POST',
          path: bucket.path(''),
          query: { delete: '' },
          // DeleteObjects must carry a checksum of its body.
          headers: { 'content-type': 'application/xml', 'content-md5': createHash('md5').update(xml).digest('base64') },
          body: xml,
        });
      }
      token = xmlValues(list, 'IsTruncated')[0] === 'true' ? xmlValues(list, 'NextContinuationToken')[0] : undefined;
    } while (token);
  },
  async downloadUrl(key, expiresInSeconds) {
    checkKey(key);
    const url = await bucket.service.presign(
      {
        method: 'GET',
        path: bucket.path(key),
        query: {
          'response-content-disposition': `attachment; filename="${fileName(key)}"`,
          'response-content-type': contentTypeOf(key),
        },
        // A presigned GET's payload is never signed.
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      expiresInSeconds,
    );
    return { key, url, expiresAt: new Date(clock.now().getTime() + expiresInSeconds * 1000).toISOString() };
  },
});

export { fileName as exportFileName };
