import type { Program } from '../../schemas/program';
import { applyEntry, type CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import type { Plan } from '../ledger/plans';
import { earningMultiplierPercent } from '../membership/state';
import { err, ok, type DomainResult } from '../result';
import { replacing } from '../versioned';
import { localDay } from '../calendar';
import type { ActivityRecord, ActivitySource, NotAwardedReason } from './activity';
import { withBirthday } from './birthday';
import { decideLimit, periodKey, withEngagedDay } from './limits';

export interface ActivityInput {
  id: string;
  type: string;
  occurredAt: string;
  source: ActivitySource;
  properties?: Record<string, string | number | boolean>;
}

/** Clocks disagree a little: an activity up to this far ahead of ours is taken as happening now. */
export const futureSkewMs = 5 * 60_000;

export type ActivityError = { kind: 'occurred_in_future'; occurredAt: string; now: string };

/**
 * What recording an activity writes: the activity itself (awarded or not, with the reason), the
 * customer's engaged day and, when a way to earn allows it, points available at once (there is
 * no return window for a review). Limits are per type and period; the customer's version guard
 * makes two activities racing for the same period commit one after the other, so the second
 * sees the first's period and is not awarded.
 */
export const planActivity = (
  customer: CustomerRecord,
  program: Program,
  input: ActivityInput & { now: string; entryId: string; timeZone: string },
): DomainResult<{ plan: Plan; activity: ActivityRecord }, ActivityError> => {
  if (Date.parse(input.occurredAt) > Date.parse(input.now) + futureSkewMs)
    return err({ kind: 'occurred_in_future', occurredAt: input.occurredAt, now: input.now });
  const base = {
    id: input.id,
    cid: customer.cid,
    type: input.type,
    occurredAt: input.occurredAt,
    recordedAt: input.now,
    source: input.source,
    ...(input.properties && Object.keys(input.properties).length ? { properties: input.properties } : {}),
  };
  const notAwarded = (reason: NotAwardedReason, c: CustomerRecord) => {
    const activity: ActivityRecord = { ...base, status: 'not_awarded', points: 0, reason };
    const plan: Plan = { activity, ...(c === customer ? {} : { customer: replacing(customer, c) }) };
    return ok({ plan, activity });
  };
  if (customer.redactedAt) return notAwarded('redacted', customer);

  // Engagement counts whether or not the shop pays for it; what the system records for the
  // customer (their birthday coming round) is not something they did.
  const engaged: CustomerRecord = {
    ...customer,
    ...(input.source === 'system'
      ? {}
      : { engagedDays: withEngagedDay(customer.engagedDays, localDay(input.occurredAt, input.timeZone)) }),
    updatedAt: input.now,
  };
  const birthday = input.type === 'birthday' ? input.properties?.['date'] : undefined;
  if (typeof birthday === 'string')
    return notAwarded('scheduled', withBirthday(engaged, birthday, input.now, input.timeZone));
  const way = program.waysToEarn.find((w) => w.type === input.type);
  if (!way) return notAwarded('not_configured', engaged);
  if (!way.enabled) return notAwarded('disabled', engaged);
  const limit = decideLimit(
    customer.activityAwards?.[input.type],
    periodKey(way.limit, input.occurredAt, input.timeZone),
  );
  if (!limit.award) return notAwarded('limit_reached', engaged);

  const multiplier = way.tierMultiplier ? earningMultiplierPercent(customer, program, input.occurredAt) : 100;
  // Rounded down like purchases: a multiplier never pays a point the shop did not promise.
  const points = Math.floor((way.points * multiplier) / 100);
  const awards = { ...customer.activityAwards };
  if (limit.awarded) awards[input.type] = limit.awarded;
  let next: CustomerRecord = { ...engaged, ...(Object.keys(awards).length ? { activityAwards: awards } : {}) };
  let entry: LedgerEntry | undefined;
  if (points > 0) {
    entry = {
      entryId: input.entryId,
      type: 'earn',
      at: input.now,
      points: { available: points, pending: 0 },
      credit: { available: 0, pending: 0 },
      cause: `activity:${input.id}`,
      reason: way.name ?? input.type,
      activity: { id: input.id, type: input.type },
    };
    next = applyEntry(next, { ...entry, activityAt: input.occurredAt });
  }
  const activity: ActivityRecord = {
    ...base,
    status: 'awarded',
    points,
    ...(entry ? { entryId: entry.entryId } : {}),
  };
  return ok({ plan: { customer: replacing(customer, next), activity, ...(entry ? { entry } : {}) }, activity });
};
