import { dailyStats, localDay } from '../../shared/app/daily-stats-service';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { parseWith, pathParam, statsRange } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { runtime } from '../../shared/wiring/runtime';
import { metricsHistoryDeps, statsDeps } from '../../shared/wiring/stats-runtime';
import { metricsHistory } from '../../shared/app/metrics-history-service';
import { outboxStats } from '../../shared/app/outbox-admin-service';
import { statsOverview } from '../../shared/app/stats-overview-service';
import { overviewQuerySchema } from '../../shared/schemas/stats';
import { outboxStore } from '../../shared/wiring/outbox-runtime';

/** The console's charts (docs/console.md, "Statistics"). */
export const handler = httpHandler(
  byRoute({
    'GET /admin/shops/{shopId}/stats/daily': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { from, to } = statsRange(event, localDay(rt.clock.now().toISOString(), shop.timezone));
      const r = await dailyStats(statsDeps(rt), shop, from, to);
      if (!r.ok) throw badRequest('invalid_range', `At most 400 days at a time; this range has ${r.error.days}`);
      return json(200, r.value);
    },

    'GET /admin/shops/{shopId}/stats/overview': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { days } = parseWith(overviewQuerySchema, event.queryStringParameters ?? {}, 'Query');
      const deps = {
        ...statsDeps(rt),
        jobs: rt.nightly,
        emailStats: (shopId: string, from: string, to: string) => outboxStats(outboxStore(rt), shopId, from, to),
      };
      return json(200, await statsOverview(deps, shop, days));
    },

    'GET /admin/shops/{shopId}/metrics': async (event) => {
      const rt = runtime();
      const { shop } = await requireShopAccess(rt, event, pathParam(event, 'shopId'));
      const { from, to } = statsRange(event, localDay(rt.clock.now().toISOString(), shop.timezone));
      const r = await metricsHistory(metricsHistoryDeps(rt), shop, from, to);
      if (!r.ok) throw badRequest('invalid_range', `At most 400 days at a time; this range has ${r.error.days}`);
      return json(200, r.value);
    },
  }),
);
