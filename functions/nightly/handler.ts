import type { Context } from 'aws-lambda';
import { exportDownloadDeps, exportSinkFor, nightlyDeps, nightlyLauncher } from '../../shared/wiring/nightly-runtime';
import { downloadExport } from '../../shared/app/export-download-service';
import { runtime } from '../../shared/wiring/runtime';
import { jobView, listNightlyJobs, readNightlyJob, requestNightly } from '../../shared/app/nightly/jobs';
import { runScheduledNightly } from '../../shared/app/nightly/run';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest, forbidden, HttpError, notFound } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { publicBaseUrl } from '../../shared/http/links';
import { jsonBody, parseWith, pathParam, type HttpEvent } from '../../shared/http/request';
import { json, type HttpResult } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { asOfRequestSchema } from '../../shared/schemas/customers';
import { jobsQuerySchema } from '../../shared/schemas/stats';
import {
  downloadQuerySchema,
  jobIdSchema,
  nightlyRunQuerySchema,
  scheduledNightlySchema,
} from '../../shared/schemas/nightly';

const http = httpHandler(
  byRoute({
    /**
     * Runs the churn segments for a day: 202 `{ jobId }` at once, the run going on in the state
     * machine (AWS) or in the background of this process (locally); progress in `GET …/jobs/{jobId}`.
     * `?wait=true` without a state machine: 200 with the finished job.
     */
    'POST /admin/shops/{shopId}/jobs/nightly': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { wait } = parseWith(nightlyRunQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const { asOf } = jsonBody(event, asOfRequestSchema);
      const deps = nightlyDeps(rt, { baseUrl: publicBaseUrl(rt, event) });
      const started = await requestNightly(deps, nightlyLauncher(rt, deps), shop, {
        asOf,
        totalSegments: rt.env.BOOMERANG_NIGHTLY_SEGMENTS,
        wait,
      });
      if (!started.ok) throw badRequest('as_of_in_future', 'asOf must be today (UTC) or earlier');
      const r = started.value;
      const location = { location: `/admin/shops/${shop.id}/jobs/${r.job.jobId}` };
      if (r.outcome === 'started') return json(202, { jobId: r.job.jobId }, location);
      return json(200, jobView(r.job), location);
    },

    /** The run history, newest first (docs/console.md, "Statistics"). */
    'GET /admin/shops/{shopId}/jobs': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const page = parseWith(jobsQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const sink = exportSinkFor(rt, publicBaseUrl(rt, event));
      return json(200, await listNightlyJobs({ jobs: rt.nightly, sink }, shop.id, page));
    },

    'GET /admin/shops/{shopId}/jobs/{jobId}': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const jobId = parseWith(jobIdSchema, pathParam(event, 'jobId'), 'Job id');
      const job = await readNightlyJob(
        { jobs: rt.nightly, sink: exportSinkFor(rt, publicBaseUrl(rt, event)) },
        shop.id,
        jobId,
      );
      if (!job.ok) throw notFound('Job');
      return json(200, job.value);
    },

    /** The local export download: the token is the credential (see shared/app/export-download-service.ts). */
    'GET /exports/download': async (event): Promise<HttpResult> => {
      const rt = runtime();
      const { token } = parseWith(downloadQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const file = await downloadExport(exportDownloadDeps(rt), token);
      if (!file.ok) {
        switch (file.error.kind) {
          case 'unavailable':
            throw forbidden('Download links are not available');
          case 'expired':
            throw new HttpError(
              403,
              'link_expired',
              'This download link has expired; reading the job (GET …/jobs/{jobId}) gives a fresh one',
            );
          case 'invalid_token':
            throw new HttpError(403, 'invalid_token', 'This download link is not valid');
          case 'not_export':
            throw forbidden();
          case 'not_found':
            throw notFound('Export');
        }
      }
      return {
        statusCode: 200,
        headers: {
          'content-type': file.value.contentType,
          'content-disposition': `attachment; filename="${file.value.fileName}"`,
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
        },
        body: file.value.body,
      };
    },
  }),
);

/**
 * The hourly schedule (`{ "job": "nightly" }`): starts the run of every shop whose local time is
 * 02:xx and returns without waiting for them (state machine, or this process's background).
 */
const scheduled = async (input: unknown) => {
  const rt = runtime();
  const event = scheduledNightlySchema.parse(input ?? {});
  const shopIds = event.shopId !== undefined ? [event.shopId] : rt.shops.listShopIds();
  const deps = nightlyDeps(rt);
  const summary = await runScheduledNightly(deps, nightlyLauncher(rt, deps), shopIds, {
    totalSegments: rt.env.BOOMERANG_NIGHTLY_SEGMENTS,
    only: event.shopId,
    asOf: event.asOf,
  });
  rt.logger.info('nightly schedule done', {
    checked: summary.checked,
    started: summary.started.length,
    skipped: summary.skipped,
  });
  return summary;
};

const isHttpEvent = (event: unknown): event is HttpEvent =>
  typeof event === 'object' && event !== null && 'requestContext' in event;

/** One function for the HTTP routes and the scheduled event, told apart by `requestContext`. */
export const handler = async (event: unknown, context: Context) =>
  isHttpEvent(event) ? http(event, context) : scheduled(event);
