import type { ImportFiles } from '../app/ports/imports';
import type { ExportSink } from '../app/ports/nightly';
import type { s3Bucket } from './export-sink';

/**
 * Import files live where exports do (`imports/<shop>/…` in the export bucket, or under
 * `${BOOMERANG_DATA_DIR}/exports` locally). Uploads: a presigned S3 PUT in AWS; locally the
 * gateway's own `PUT …/imports/uploads/{uploadId}` (with the API key).
 */
export const sinkImportFiles = (
  sink: ExportSink,
  upload: { bucket: ReturnType<typeof s3Bucket> } | { baseUrl: string },
): ImportFiles => ({
  put: (key, body) => sink.put(key, body, 'text/plain; charset=utf-8'),
  get: (key) => sink.get(key),
  removeAll: (prefix) => sink.deletePrefix(prefix),
  async uploadUrl(key, expiresInSeconds) {
    if ('bucket' in upload)
      return upload.bucket.service.presign(
        { method: 'PUT', path: upload.bucket.path(key), headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } },
        expiresInSeconds,
      );
    const [, shopId, , uploadId] = key.split('/');
    return `${upload.baseUrl.replace(/\/+$/, '')}/admin/shops/${encodeURIComponent(shopId!)}/imports/uploads/${uploadId}`;
  },
});
