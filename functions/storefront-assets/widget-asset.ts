import { gzipSync } from 'node:zlib';
import { HttpError } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import type { HttpEvent } from '../../shared/http/request';
import type { HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { contentHash } from './content-hash';

/** The widget script as served: its code, version hash and (made once) gzip. */
interface Asset {
  code: string;
  hash: string;
  gzipBase64: string;
}

/**
 * `/widget.js` is what shops embed, so it must pick up a new release soon: five minutes of
 * caching, then a revalidation that the ETag turns into a 304. `/widget/{hash}.js` never changes.
 */
const shortCache = 'public, max-age=300, stale-while-revalidate=86400';
const immutable = 'public, max-age=31536000, immutable';

const accepts = (event: HttpEvent, encoding: string): boolean =>
  (event.headers['accept-encoding'] ?? '').split(',').some((e) => e.trim().split(';')[0] === encoding);

const script = (event: HttpEvent, asset: Asset, cacheControl: string): HttpResult => {
  const etag = `"${asset.hash}"`;
  const headers: Record<string, string> = {
    'content-type': 'application/javascript; charset=utf-8',
    'cache-control': cacheControl,
    etag,
    'x-content-type-options': 'nosniff',
    // Any page may load the script (it is public); its API calls are CORS-checked per shop.
    'access-control-allow-origin': '*',
    'cross-origin-resource-policy': 'cross-origin',
    vary: 'accept-encoding',
  };
  if ((event.headers['if-none-match'] ?? '').split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return { statusCode: 304, headers };
  }
  // HTTP APIs do not compress, and gzip is two thirds of the bytes: the function does it.
  if (accepts(event, 'gzip')) {
    return {
      statusCode: 200,
      headers: { ...headers, 'content-encoding': 'gzip' },
      body: asset.gzipBase64,
      isBase64Encoded: true,
    };
  }
  return { statusCode: 200, headers, body: asset.code };
};

/**
 * The handler serving the widget, given where its code comes from: in Lambda a file beside the
 * bundle (handler.ts), locally a fresh build (local/widget-assets.ts).
 */
export const widgetAssetHandler = (loadCode: () => Promise<string>) => {
  let last: Asset | undefined;
  const asset = async (): Promise<Asset> => {
    const code = await loadCode();
    if (last?.code !== code) {
      last = { code, hash: contentHash(code), gzipBase64: gzipSync(code, { level: 9 }).toString('base64') };
    }
    return last;
  };
  return httpHandler(
    byRoute({
      'GET /widget.js': async (event) => script(event, await asset(), shortCache),
      'GET /widget/{file}': async (event) => {
        const current = await asset();
        if (event.pathParameters?.file !== `${current.hash}.js`) {
          // An old version is gone (its bytes are not kept): say so rather than serve other code
          // under an immutable URL.
          throw new HttpError(404, 'widget_version_not_found', `Load the current version from /widget.js`);
        }
        return script(event, current, immutable);
      },
    }),
  );
};
