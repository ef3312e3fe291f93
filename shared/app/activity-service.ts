import { createHash } from 'node:crypto';
import type { ActivityRecord } from '../domain/engagement/activity';
import { planActivity, type ActivityError, type ActivityInput } from '../domain/engagement/plan';
import { err, ok, type DomainResult } from '../domain/result';
import type { CustomerRecord } from '../domain/ledger/customer';
import { periodKey } from '../domain/engagement/limits';
import { isSelfDeclaredActivity } from '../schemas/program';
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
  request: { customerRef: string; cid?: string; createIfMissing?: boolean; activity: ActivityInput },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | ActivityError>> => {
  const { activity } = request;
  const who = request.cid ? `cid:${request.cid}` : `ref:${request.customerRef}`;
  return commitOnce(
    deps,
    shop,
    {
      customerRef: request.customerRef,
      ...(request.cid ? { cid: request.cid, createIfMissing: !!request.createIfMissing } : {}),
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

/** The customer's activity timeline, newest first. */
export const customerActivities = async (
  deps: Pick<CustomerChangeDeps, 'store'>,
  shop: Shop,
  c: CustomerRecord,
  page: { limit: number; cursor?: string },
) => {
  const { activities, nextCursor } = await deps.store.listActivities(shop.id, c.cid, page);
  return { activities: activities.map(activityView), nextCursor: nextCursor ?? null };
};

export type ClaimRefusal =
  /** Not a type customers may declare themselves (a review is the shop's to confirm). */
  | { kind: 'not_self_declared'; type: string }
  /** Self-declared, but the shop does not offer it (absent or disabled in `waysToEarn`). */
  | { kind: 'not_offered'; type: string }
  | { kind: 'birthday_required' }
  /** The storefront sets a birthday once; changing it is the shop's (it would otherwise pay twice a year). */
  | { kind: 'birthday_already_set' };

/**
 * A signed-in customer claims a self-declared way to earn in the storefront. The activity id is
 * derived from the customer, type and limit period now, so a double click or a retry is the same
 * claim; an `unlimited` way is claimed at most once a day from the storefront, since nobody
 * checks what a customer declares. A birthday claim stores the date (paid on the day).
 */
export const claimActivity = async (
  deps: Pick<CustomerChangeDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'>,
  shop: Shop,
  who: { cid: string; platformCustomerId: string },
  claim: { type: string; properties?: { date?: string | undefined } | undefined },
): Promise<DomainResult<ChangeResponse, ChangeRefusal | ActivityError | ClaimRefusal>> => {
  const { type } = claim;
  if (!isSelfDeclaredActivity(type)) return err({ kind: 'not_self_declared', type });
  const way = shop.program.waysToEarn.find((w) => w.type === type && w.enabled);
  if (!way) return err({ kind: 'not_offered', type });
  const now = deps.clock.now().toISOString();
  const date = claim.properties?.date;
  let period: string;
  if (type === 'birthday') {
    if (!date) return err({ kind: 'birthday_required' });
    // Read only to refuse early; the id below makes two racing first claims one.
    const c = await deps.store.getCustomer(shop.id, who.cid, { consistent: false });
    if (c?.birthday && c.birthday !== date) return err({ kind: 'birthday_already_set' });
    period = 'set';
  } else {
    period = periodKey(way.limit === 'unlimited' ? 'day' : way.limit, now, shop.timezone)!;
  }
  const id = `storefront:${who.cid}:${type}:${period}`;
  const r = await recordActivity(deps, shop, {
    customerRef: who.platformCustomerId,
    cid: who.cid,
    createIfMissing: true,
    activity: {
      id,
      type,
      occurredAt: now,
      source: 'storefront',
      ...(date ? { properties: { date } } : {}),
    },
  });
  // The same period's claim made earlier (another click, another moment): the first one's answer.
  if (!r.ok && r.error.kind === 'idempotency_key_reused')
    return type === 'birthday' ? err({ kind: 'birthday_already_set' }) : claimedBefore(deps, shop, id);
  return r;
};

/** A claim of a period already claimed: the first claim's answer, as a replay of it. */
const claimedBefore = async (
  deps: Pick<CustomerChangeDeps, 'store'>,
  shop: Shop,
  id: string,
): Promise<DomainResult<ChangeResponse, ChangeRefusal>> => {
  const first = await deps.store.getIdempotency(shop.id, `activity:${id}`);
  return first
    ? ok({ status: first.status, body: first.body, replayed: true })
    : err({ kind: 'idempotency_key_reused' });
};

/**
 * `account_created`, paid automatically at a signed-in customer's first storefront session (a
 * storefront session proves an account). Skipped without a read when the shop does not offer it,
 * and without a write once the customer has it; the id per customer makes racing sessions one.
 */
export const welcomeAccount = async (
  deps: Pick<CustomerChangeDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'>,
  shop: Shop,
  who: { cid: string; platformCustomerId: string },
  customer: CustomerRecord | undefined,
): Promise<boolean> => {
  const way = shop.program.waysToEarn.find((w) => w.type === 'account_created' && w.enabled);
  if (!way || customer?.activityAwards?.['account_created'] || customer?.redactedAt) return false;
  const r = await recordActivity(deps, shop, {
    customerRef: who.platformCustomerId,
    cid: who.cid,
    createIfMissing: true,
    activity: {
      id: `account_created:${who.cid}`,
      type: 'account_created',
      occurredAt: deps.clock.now().toISOString(),
      source: 'storefront',
    },
  });
  return r.ok && !r.value.replayed && r.value.status === 201;
};
