import { createHash } from 'node:crypto';
import type { ClaimRefusal } from '../app/activity-service';
import type { ChangeRefusal, ChangeResponse } from '../app/customer-admin-service';
import type { ActivityError } from '../domain/engagement/plan';
import type { AdjustmentError, RedemptionError } from '../domain/ledger/plans';
import type { DomainResult } from '../domain/result';
import { badRequest, conflict, HttpError, notFound } from './errors';
import { idempotencyKeySchema } from '../schemas/customers';
import { header, parseWith, type HttpEvent } from './request';
import { json, type HttpResult } from './response';

/** What an idempotency key must keep meaning: the same route, path and body. */
export const requestHash = (event: HttpEvent, scope = ''): string =>
  createHash('sha256')
    .update(`${scope}\n${event.routeKey}\n${event.rawPath}\n${event.body ?? ''}`)
    .digest('hex');

/** The request's `Idempotency-Key`, validated; redemptions require one (a retry must not spend twice). */
export function idempotencyKey(event: HttpEvent, required: true): string;
export function idempotencyKey(event: HttpEvent, required: false): string | undefined;
export function idempotencyKey(event: HttpEvent, required: boolean): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) {
    if (!required) return undefined;
    throw badRequest(
      'idempotency_key_required',
      'Send an Idempotency-Key header so a retried redemption is not spent twice',
    );
  }
  return parseWith(idempotencyKeySchema, key, 'Idempotency-Key');
}

/** A committed (or replayed) change to a customer's points as the response; a refusal as its error. */
export const changed = (
  r: DomainResult<ChangeResponse, ChangeRefusal | RedemptionError | AdjustmentError>,
): HttpResult => {
  if (r.ok) return json(r.value.status, r.value.body, r.value.replayed ? { 'idempotent-replayed': 'true' } : {});
  const e = r.error;
  switch (e.kind) {
    case 'customer_not_found':
      throw notFound('Customer');
    case 'idempotency_key_reused':
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request body',
      );
    case 'unknown_reward':
      throw badRequest('unknown_reward', `No reward "${e.rewardId}" in this shop's catalogue`);
    case 'insufficient_points':
      throw conflict('insufficient_points', `Needs ${e.cost} points; the balance is ${e.balance}`, e);
    case 'reward_locked': {
      const needs = [
        ...(e.requires.tier ? [`the ${e.requires.tier} tier or above`] : []),
        ...(e.requires.membership
          ? [e.requires.membership === 'any' ? 'an active membership' : `the ${e.requires.membership} membership`]
          : []),
      ];
      throw new HttpError(403, 'reward_locked', `Reward "${e.rewardId}" requires ${needs.join(' and ')}`, {
        rewardId: e.rewardId,
        requires: e.requires,
      });
    }
    case 'reward_limit_reached':
      throw conflict('reward_limit_reached', `Reward "${e.rewardId}" may be redeemed ${e.limit} times per customer`, {
        rewardId: e.rewardId,
        limit: e.limit,
      });
    case 'out_of_stock':
      throw conflict('out_of_stock', `Reward "${e.rewardId}" is sold out`, { rewardId: e.rewardId, stock: e.stock });
    case 'would_go_negative':
      throw conflict('insufficient_points', `The balance is ${e.balance}; ${e.points} would make it negative`, e);
  }
};

/** A recorded (or replayed) activity as the response; a refusal of it as its error. */
export const activityChanged = (
  r: DomainResult<ChangeResponse, ChangeRefusal | ActivityError | ClaimRefusal>,
): HttpResult => {
  if (r.ok) return changed(r);
  const e = r.error;
  switch (e.kind) {
    case 'customer_not_found':
    case 'idempotency_key_reused':
      return changed({ ok: false, error: e });
    case 'occurred_in_future':
      throw badRequest('occurred_in_future', `occurredAt ${e.occurredAt} is later than now (${e.now})`, e);
    case 'not_self_declared':
      throw new HttpError(
        403,
        'not_self_declared',
        `"${e.type}" cannot be claimed by the customer; the shop records it`,
        { type: e.type },
      );
    case 'not_offered':
      throw badRequest('not_offered', `This shop does not award "${e.type}"`, { type: e.type });
    case 'birthday_required':
      throw badRequest('birthday_required', 'Send the birthday as properties.date ("MM-DD")');
    case 'birthday_already_set':
      throw conflict('birthday_already_set', 'The birthday is already set; the shop can change it');
  }
};
