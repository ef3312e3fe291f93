import { dailyStats, localDay } from '../../shared/app/daily-stats-service';
import { requireShopAccess } from '../../shared/http/auth';
import { badRequest } from '../../shared/http/errors';
import { httpHandler } from '../../shared/http/handler';
import { pathParam, statsRange } from '../../shared/http/request';
import { json } from '../../shared/http/response';
import { byRoute } from '../../shared/http/router';
import { runtime } from '../../shared/wiring/runtime';
import { statsDeps } from '../../shared/wiring/stats-runtime';

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
  }),
);
