import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import {
  DeleteObjectsCommand, GetObjectCommand, NoSuchKey, paginateListObjectsV2, PutObjectCommand, type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from './clock';
import type { DownloadLink, ExportSink } from '../app/nightly/ports';
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
  key.endsWith('.csv') ? 'text/csv; charset=utf-8' : key.endsWith('.json') ? 'application/json; charset=utf-8' : 'application/octet-stream';

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
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
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
      return { key, url: `${o.baseUrl.replace(/\/+$/, '')}/exports/download?token=${token}`, expiresAt: new Date(exp * 1000).toISOString() };
    },
  };
};

/**
 * The AWS sink: objects in the export bucket, downloads by presigned GET. A presigned URL is
 * valid for the requested time or as long as the credentials that signed it, whichever ends
 * first — a Lambda role's session lasts a few hours, so "24 h" links signed by a function may
 * stop working sooner (`expiresAt` states the request, not that limit).
 */
export const s3ExportSink = (client: S3Client, bucket: string, clock: Clock): ExportSink => ({
  async put(key, body, contentType) {
    checkKey(key);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
  },
  async get(key) {
    checkKey(key);
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return await out.Body?.transformToString('utf-8');
    } catch (e) {
      if (e instanceof NoSuchKey || (e as Error).name === 'NoSuchKey') return undefined;
      throw e;
    }
  },
  async deletePrefix(prefix) {
    checkKey(prefix);
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      const objects = (page.Contents ?? []).flatMap((c) => (c.Key ? [{ Key: c.Key }] : []));
      if (objects.length) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects, Quiet: true } }));
    }
  },
  async downloadUrl(key, expiresInSeconds) {
    checkKey(key);
    const url = await getSignedUrl(client, new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ResponseContentDisposition: `attachment; filename="${fileName(key)}"`,
      ResponseContentType: contentTypeOf(key),
    }), { expiresIn: expiresInSeconds });
    return { key, url, expiresAt: new Date(clock.now().getTime() + expiresInSeconds * 1000).toISOString() };
  },
});

export { fileName as exportFileName };
