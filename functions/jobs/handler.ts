import { ledgerDeps, runtime } from '../../shared/wiring/runtime';
import { runDailyForShops } from '../../shared/app/daily-job-service';
import { requireShopAccess } from '../../shared/http/auth';
import { httpHandler } from '../../shared/http/handler';
import { jsonBody, pathParam } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { asOfRequestSchema } from '../../shared/schemas/customers';

/** Scheduled jobs on demand, for any date: replays and backfills. */
export const handler = httpHandler(
  byRoute({
    'POST /admin/shops/{shopId}/jobs/ledger-daily': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { asOf } = jsonBody(event, asOfRequestSchema);
      const [summary] = await runDailyForShops({ ledger: ledgerDeps(rt), shops: rt.shops }, asOf, shop.id);
      return json(200, { status: 'succeeded', result: summary });
    },
  }),
);
