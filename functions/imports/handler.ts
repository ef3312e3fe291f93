import { createUpload, listImports, readImport, resumeImport, startImport } from '../../shared/app/import-service';
import { importView } from '../../shared/domain/imports/job';
import { audit } from '../../shared/http/audit';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest, conflict, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { publicBaseUrl } from '../../shared/http/links';
import { parseWith, pathParam, rawBody } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { importIdSchema, importListQuerySchema, importQuerySchema } from '../../shared/schemas/imports';
import { importDeps, importLauncher } from '../../shared/wiring/import-runtime';
import { runtime } from '../../shared/wiring/runtime';

/**
 * A file in a request body: under Lambda's 6 MB invocation limit. Larger files go through an
 * upload (`POST …/imports/uploads`, then `s3Key=`).
 */
const maxImportBodyBytes = 5 * 1024 * 1024;

const location = (shopId: string, importId: string) => ({
  location: `/admin/shops/${encodeURIComponent(shopId)}/imports/${importId}`,
});

export const handler = httpHandler(
  byRoute({
    /** Starts an import of the body (or of an upload): 202 `{ importId }`, progress in `GET …/imports/{importId}`. */
    'POST /admin/shops/{shopId}/imports': async (event) => {
      const rt = runtime();
      const { principal, shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const query = parseWith(importQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const body = query.s3Key ? Buffer.alloc(0) : rawBody(event, maxImportBodyBytes);
      const deps = importDeps(rt, { baseUrl: publicBaseUrl(rt, event) });
      const started = await startImport(deps, importLauncher(rt, deps), shop, query, body);
      if (!started.ok) {
        switch (started.error.kind) {
          case 'empty_file':
            throw badRequest('missing_body', 'The file is the request body (or name an upload with s3Key=)');
          case 'not_utf8':
            throw badRequest('not_utf8', 'The file must be UTF-8 text');
          case 'upload_not_found':
            throw badRequest('upload_not_found', 'No file was uploaded under this s3Key for this shop');
        }
      }
      const job = started.value;
      await audit(rt, principal, shop, {
        action: 'import.started',
        target: job.importId,
        summary: `Started a ${query.kind} import (${query.format})`,
        details: { kind: query.kind, format: query.format, awardPoints: query.awardPoints, strict: query.strict },
      });
      return json(
        202,
        { importId: job.importId, status: job.status, href: location(shop.id, job.importId).location },
        location(shop.id, job.importId),
      );
    },

    'GET /admin/shops/{shopId}/imports': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { limit } = parseWith(importListQuerySchema, event.queryStringParameters ?? {}, 'Query');
      return json(200, { imports: await listImports(importDeps(rt), shop.id, limit) });
    },

    /** Where to put a file too large for a request body: `{ s3Key, url, method, expiresAt }`. */
    'POST /admin/shops/{shopId}/imports/uploads': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      return json(201, await createUpload(importDeps(rt, { baseUrl: publicBaseUrl(rt, event) }), shop));
    },

    /** The local stand-in for the presigned S3 PUT (no bucket configured): stores the body under the upload's key. */
    'PUT /admin/shops/{shopId}/imports/uploads/{uploadId}': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      if (rt.env.BOOMERANG_EXPORT_BUCKET) throw notFound('Upload (uploads go to the presigned S3 URL)');
      const uploadId = parseWith(importIdSchema, pathParam(event, 'uploadId'), 'Upload id');
      const body = rawBody(event, 10 * 1024 * 1024);
      if (!body.length) throw badRequest('missing_body', 'The file is the request body');
      const s3Key = `imports/${shop.id}/uploads/${uploadId}/file`;
      await importDeps(rt).files.put(s3Key, body.toString('utf8'));
      return json(200, { s3Key });
    },

    'GET /admin/shops/{shopId}/imports/{importId}': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const importId = parseWith(importIdSchema, pathParam(event, 'importId'), 'Import id');
      const job = await readImport(importDeps(rt), shop.id, importId);
      if (!job.ok) throw notFound('Import');
      return json(200, job.value);
    },

    /** Another run from the checkpoint, for an import that failed or whose run stopped. */
    'POST /admin/shops/{shopId}/imports/{importId}/resume': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const importId = parseWith(importIdSchema, pathParam(event, 'importId'), 'Import id');
      const deps = importDeps(rt, { baseUrl: publicBaseUrl(rt, event) });
      const resumed = await resumeImport(deps, importLauncher(rt, deps), shop.id, importId);
      if (!resumed.ok) {
        switch (resumed.error.kind) {
          case 'not_found':
            throw notFound('Import');
          case 'completed':
            throw conflict('import_completed', 'This import has completed; there is nothing to resume');
          case 'running':
            throw new HttpError(
              409,
              'import_running',
              `A run is working on this import (its lease lasts until ${resumed.error.leaseUntil})`,
            );
        }
      }
      return json(202, importView(resumed.value), location(shop.id, importId));
    },
  }),
);
