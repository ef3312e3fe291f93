import type { OutgoingEventType } from './event';

/**
 * One event's delivery to one endpoint: made when the event is fanned out to the endpoints that
 * listen to it (at send time, so the order path writes one event item whatever the number of
 * endpoints), then tried until the endpoint answers 2xx or the retry schedule runs out.
 * `deliveryId` is the event's id, which is also the `webhook-id` header: the same on every
 * attempt and for every endpoint, so a receiver can drop duplicates by it.
 */
export interface Delivery {
  shopId: string;
  endpointId: string;
  deliveryId: string;
  eventType: OutgoingEventType;
  /** The event's own time (the body's `timestamp`). */
  eventAt: string;
  data: Record<string, unknown>;
  createdAt: string;
  status: DeliveryStatus;
  attempts: number;
  /** When it may next be tried, while pending. */
  dueAt?: string;
  lastAttemptAt?: string;
  /** The HTTP status of the last answer, if there was one. */
  lastResponseStatus?: number;
  lastError?: string;
  deliveredAt?: string;
  failedAt?: string;
  /** Why it was given up. */
  reason?: string;
  /** When someone put a failed delivery back in the queue: its schedule starts again from then. */
  requeuedAt?: string;
  leaseUntil?: string;
  claim?: string;
}

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/**
 * The wait before each retry: the Standard Webhooks example schedule (immediately, 5 s, 5 min,
 * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h; 75.6 h in all) with its last wait cut to 20 h, so the
 * nominal tenth attempt comes 71 h 35 min after the first. Jitter and Retry-After can push it
 * later: the 72 hours themselves are enforced by `deliveryWindowMs`, not by this schedule.
 */
export const retrySchedule: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  14 * 3_600_000,
  20 * 3_600_000,
  20 * 3_600_000,
];

/** The first attempt plus one per scheduled retry. */
export const maxAttempts = retrySchedule.length + 1;

/**
 * The wait after the `attempts`-th failed attempt (1-based), ±10 % jitter from `random` in [0, 1)
 * so a recovering endpoint is not hit by every queued event at once; undefined when it is time to give up.
 */
export const nextRetryDelayMs = (attempts: number, random: number): number | undefined => {
  const base = retrySchedule[attempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (0.9 + 0.2 * random));
};

/**
 * A delivery is tried for 72 hours from when it was made, or from when someone put it back in
 * the queue (`requeuedAt`), whatever the jitter and Retry-After say: past that it is given up.
 */
export const deliveryWindowMs = 72 * 3_600_000;

/**
 * A retry is never due later than this before the window closes: the sweep runs every minute
 * and an attempt takes up to its timeout, so a retry due right at the end would never be sent.
 */
export const lastCallMs = 10 * 60_000;

/** When the delivery's window closes (epoch ms): no attempt starts from then on. */
export const giveUpAtMs = (d: Pick<Delivery, 'createdAt' | 'requeuedAt'>): number =>
  Date.parse(d.requeuedAt ?? d.createdAt) + deliveryWindowMs;

/**
 * When to try again after the delivery's `attempts`-th attempt failed at `atMs`: the schedule's
 * jittered wait, or the receiver's Retry-After (`notBeforeMs`) if longer, but never past the
 * window's last call; undefined when it is time to give up (schedule run out, or window closing).
 */
export const nextAttemptAtMs = (
  d: Pick<Delivery, 'attempts' | 'createdAt' | 'requeuedAt'>,
  atMs: number,
  random: number,
  notBeforeMs = 0,
): number | undefined => {
  const delay = nextRetryDelayMs(d.attempts, random);
  if (delay === undefined) return undefined;
  const due = Math.min(atMs + Math.max(delay, notBeforeMs), giveUpAtMs(d) - lastCallMs);
  return due > atMs ? due : undefined;
};

/** What an endpoint's answer (or the lack of one) means for the delivery and the endpoint. */
export type AttemptResult =
  | { kind: 'delivered'; status: number }
  /** 410 Gone: the receiver says this endpoint is no more, so it is disabled and nothing more is sent. */
  | { kind: 'gone'; status: number }
  /** `notBeforeMs`: the receiver's Retry-After, when it asked for a longer wait than the schedule's. */
  | { kind: 'retry'; status?: number; error: string; notBeforeMs?: number }
  /** The target resolved to an address we never send to (SSRF): given up at once, never connected. */
  | { kind: 'blocked'; error: string }
  /** The 72-hour window closed before this attempt: given up without posting. */
  | { kind: 'expired'; error: string };

/**
 * The longest Retry-After we honour, so one answer cannot park a delivery for days; the 72-hour
 * window (`nextAttemptAtMs`) still cuts a wait that would end past it.
 */
export const maxRetryAfterMs = 12 * 3_600_000;

/** A Retry-After header (seconds, or an HTTP date) as milliseconds from `nowMs`, capped; undefined if unreadable. */
export const retryAfterMs = (header: string | undefined, nowMs: number): number | undefined => {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header.trim()) * 1000 : Date.parse(header) - nowMs;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, maxRetryAfterMs) : undefined;
};

export const resultOfStatus = (status: number, retryAfter?: number): AttemptResult =>
  status >= 200 && status < 300
    ? { kind: 'delivered', status }
    : status === 410
      ? { kind: 'gone', status }
      : { kind: 'retry', status, error: `HTTP ${status}`, ...(retryAfter ? { notBeforeMs: retryAfter } : {}) };

/** Settled deliveries are kept this long (TTL) for the delivery log. */
export const deliveryRetentionDays = 30;
