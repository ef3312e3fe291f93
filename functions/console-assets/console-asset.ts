import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { HttpError } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import type { HttpEvent } from '../../shared/http/request';
import type { HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';

/** What the console build hands over (infra/bundling/console.ts `BuiltConsole`). */
export interface ConsoleFiles {
  html: string;
  assets: { name: string; contentType: string; body: string }[];
}

interface Served {
  contentType: string;
  body: string;
  etag: string;
  gzipBase64: string;
}

/**
 * The page's policy: everything from this origin only, no inline script, no framing. Inline
 * styles are allowed for the e-mail previews (sandboxed `srcdoc` frames inherit this policy,
 * and the e-mails carry their styles inline as mail clients need); charts and layout set
 * styles through the CSSOM, which a policy does not govern.
 */
export const consoleCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The shell names the hashed files, so it must be fetched afresh each time (a 304 when unchanged). */
const noCache = 'no-cache';
const immutable = 'public, max-age=31536000, immutable';

const accepts = (event: HttpEvent, encoding: string): boolean =>
  (event.headers['accept-encoding'] ?? '').split(',').some((e) => e.trim().split(';')[0] === encoding);

const served = (contentType: string, body: string): Served => ({
  contentType,
  body,
  etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
  gzipBase64: gzipSync(body, { level: 9 }).toString('base64'),
});

const respond = (event: HttpEvent, file: Served, headers: Record<string, string>): HttpResult => {
  const all: Record<string, string> = {
    'content-type': file.contentType,
    etag: file.etag,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    vary: 'accept-encoding',
    ...headers,
  };
  if ((event.headers['if-none-match'] ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === file.etag)) {
    return { statusCode: 304, headers: all };
  }
  if (accepts(event, 'gzip')) {
    return {
      statusCode: 200,
      headers: { ...all, 'content-encoding': 'gzip' },
      body: file.gzipBase64,
      isBase64Encoded: true,
    };
  }
  return { statusCode: 200, headers: all, body: file.body };
};

/**
 * `GET /console` (the one HTML document; the app routes by hash) and `GET /console/assets/{file}`
 * (hashed, so immutable), given where the built files come from: in Lambda a file beside the
 * bundle (handler.ts), locally a fresh build (local/console-assets.ts).
 */
export const consoleAssetHandler = (loadFiles: () => Promise<ConsoleFiles>) => {
  let last: { from: ConsoleFiles; shell: Served; assets: Map<string, Served> } | undefined;
  const files = async () => {
    const from = await loadFiles();
    if (last?.from !== from) {
      last = {
        from,
        shell: served('text/html; charset=utf-8', from.html),
        assets: new Map(from.assets.map((a) => [a.name, served(a.contentType, a.body)])),
      };
    }
    return last;
  };
  return httpHandler(
    byRoute({
      'GET /console': async (event) =>
        respond(event, (await files()).shell, {
          'cache-control': noCache,
          'content-security-policy': consoleCsp,
          'x-frame-options': 'DENY',
          'cross-origin-opener-policy': 'same-origin',
        }),
      'GET /console/assets/{file}': async (event) => {
        const name = event.pathParameters?.file ?? '';
        const file = (await files()).assets.get(name);
        // An old version is gone: a 404 rather than other bytes under an immutable name.
        if (!file) throw new HttpError(404, 'asset_not_found', 'No such console file; reload /console');
        return respond(event, file, { 'cache-control': immutable, 'cross-origin-resource-policy': 'same-origin' });
      },
    }),
  );
};
