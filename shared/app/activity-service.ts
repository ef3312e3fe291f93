import { createHash } from 'node:crypto';
import type { ActivityRecord } from '../domain/engagement/activity';
import { planActivity, type ActivityError, type ActivityInput } from '../domain/engagement/plan';
import { ok, type DomainResult } from '../domain/result';
import type { Shop } from '../domain/shop';
import { stableJson } from '../domain/stable-json';
import { commitOnce, type ChangeRefusal, type ChangeResponse, type CustomerChangeDeps } from './customer-admin-service';

/** An activity as the API shows it (`POST …/activities` answers, the customer's timeline). */
export const activityView = (a: ActivityRecord) => ({
  id: a.id,
  customerId: a.cid,
  type: a.type,
  occurredAt: a.occurredAt,
  recordedAt: a.recordedAt,
  source: a.source,
  status: a.status,
  points: a.points,
  reason: a.reason ?? null,
  properties: a.properties ?? {},
});
export type ActivityView = ReturnType<typeof activityView>;

/** What an activity id must keep meaning: who, what and when (a retry may re-serialise the body). */
const fingerprint = (who: string, input: ActivityInput) =>
  createHash('sha256')
    .update(stableJson({ who, type: input.type, at: Date.parse(input.occurredAt), properties: input.properties ?? {} }))
    .digest('hex');

/**
 * Records an activity exactly once per id and shop, awarding the way to earn's points within its
 * limits. A repeat of the id (a retry, or a duplicate racing the first) gets the first answer;
 * the id reused for another customer, type, time or properties is refused. Awarded → 201,
 * recorded without points → 200 with the reason.
 */
export const recordActivity = (
  deps: Pick<CustomerChangeDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'>,
  shop: Shop,
  request: { customerRef: string; cid?: string; activity: ActivityInput },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | ActivityError>> => {
  const { activity } = request;
  const who = request.cid ? `cid:${request.cid}` : `ref:${request.customerRef}`;
  return commitOnce(
    deps,
    shop,
    {
      customerRef: request.customerRef,
      ...(request.cid ? { cid: request.cid } : {}),
      key: `activity:${activity.id}`,
      requestHash: fingerprint(who, activity),
    },
    (customer) => {
      const planned = planActivity(customer, shop.program, {
        ...activity,
        now: deps.clock.now().toISOString(),
        entryId: deps.newId(),
        timeZone: shop.timezone,
      });
      if (!planned.ok) return planned;
      const after = planned.value.plan.customer?.next ?? customer;
      return ok({
        plan: planned.value.plan,
        status: planned.value.activity.status === 'awarded' ? 201 : 200,
        body: {
          activity: activityView(planned.value.activity),
          points: { balance: after.points.available, pending: after.points.pending },
        },
      });
    },
  );
};
