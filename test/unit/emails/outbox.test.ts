import { describe, expect, it } from 'vitest';
import {
  retryDelayMs,
  sendErrorKind,
  sendDecision,
  type OutboxItem,
  type Suppression,
} from '../../../shared/domain/emails/outbox';
import { emailCategory, type EmailType } from '../../../shared/domain/emails/types';
import { newCustomer, type CustomerRecord } from '../../../shared/domain/ledger/customer';
import { emailTypes, programSchema, type Program } from '../../../shared/schemas/program';

const NOW = '2026-03-01T10:00:00.000Z';
/** Surveys are off by default; on here so that every type has its chance to be sent. */
const program = (over: Record<string, unknown> = {}): Program =>
  programSchema.parse({ surveys: { enabled: true }, ...over });
const customer = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  ...newCustomer('i.1', '2025-01-01T00:00:00.000Z'),
  email: 'ann@example.com',
  acceptsMarketing: true,
  ...over,
});
const item = (type: EmailType, createdAt = NOW): Pick<OutboxItem, 'type' | 'category' | 'createdAt'> => ({
  type,
  category: emailCategory(type),
  createdAt,
});
const suppression = (scope: Suppression['scope']): Suppression => ({
  scope,
  reason: 'unsubscribe',
  at: '2026-02-01T00:00:00.000Z',
});

const decide = (
  type: EmailType,
  ctx: { program?: Program | undefined; customer?: CustomerRecord | undefined; suppression?: Suppression } = {},
  createdAt = NOW,
) =>
  sendDecision(item(type, createdAt), {
    program: 'program' in ctx ? ctx.program : program(),
    customer: 'customer' in ctx ? ctx.customer : customer(),
    suppression: ctx.suppression,
  });

describe('sendDecision', () => {
  it("sends every type to the customer's address when nothing stands in the way", () => {
    for (const type of emailTypes) expect(decide(type), type).toEqual({ send: true, to: 'ann@example.com' });
  });

  it('sends the survey only while surveys are on; it is marketing (consent, marketing suppression)', () => {
    expect(decide('survey_request', { program: program({ surveys: { enabled: false } }) })).toEqual({
      send: false,
      reason: 'type_disabled',
    });
    // Win-back being off does not silence surveys, nor the other way round.
    expect(decide('survey_request', { program: program({ winback: { enabled: false } }) })).toEqual({
      send: true,
      to: 'ann@example.com',
    });
    expect(decide('survey_request', { suppression: suppression('marketing') })).toEqual({
      send: false,
      reason: 'suppressed',
    });
    expect(decide('survey_request', { customer: customer({ acceptsMarketing: false }) })).toEqual({
      send: false,
      reason: 'no_consent',
    });
  });

  it('still sends a survey after a later order (that ends only a win-back series)', () => {
    const reordered = customer({ lastOrderAt: '2026-03-05T00:00:00.000Z' });
    expect(decide('survey_request', { customer: reordered })).toEqual({ send: true, to: 'ann@example.com' });
    expect(decide('winback_reminder', { customer: reordered })).toEqual({ send: false, reason: 'ordered_since' });
  });

  it('skips when the shop is gone', () => {
    expect(decide('tier_up', { program: undefined })).toEqual({ send: false, reason: 'shop_gone' });
  });

  it('skips everything when the shop turned e-mails off', () => {
    const off = program({ emails: { enabled: false } });
    for (const type of emailTypes)
      expect(decide(type, { program: off }), type).toEqual({ send: false, reason: 'emails_disabled' });
  });

  it('skips a transactional type the shop switched off, and only that type', () => {
    const p = program({ emails: { transactional: { tier_up: false } } });
    expect(decide('tier_up', { program: p })).toEqual({ send: false, reason: 'type_disabled' });
    expect(decide('tier_down', { program: p })).toEqual({ send: true, to: 'ann@example.com' });
    expect(
      decide('points_expiring', { program: program({ emails: { transactional: { points_expiring: false } } }) }),
    ).toEqual({ send: false, reason: 'type_disabled' });
  });

  it('skips win-back e-mails when win-back is off, but not transactional ones', () => {
    const p = program({ winback: { enabled: false } });
    expect(decide('winback_reminder', { program: p })).toEqual({ send: false, reason: 'type_disabled' });
    expect(decide('winback_incentive', { program: p })).toEqual({ send: false, reason: 'type_disabled' });
    expect(decide('tier_up', { program: p })).toEqual({ send: true, to: 'ann@example.com' });
  });

  it('skips a redacted customer, even one that somehow still has an address', () => {
    expect(decide('tier_up', { customer: customer({ redactedAt: '2026-02-01T00:00:00.000Z' }) })).toEqual({
      send: false,
      reason: 'redacted',
    });
    expect(
      decide('tier_up', { customer: customer({ redactedAt: '2026-02-01T00:00:00.000Z', email: undefined }) }),
    ).toEqual({ send: false, reason: 'redacted' });
  });

  it('skips when there is no address or no customer', () => {
    expect(decide('tier_up', { customer: customer({ email: undefined }) })).toEqual({
      send: false,
      reason: 'no_address',
    });
    expect(decide('tier_up', { customer: customer({ email: '' }) })).toEqual({ send: false, reason: 'no_address' });
    expect(decide('tier_up', { customer: undefined })).toEqual({ send: false, reason: 'no_address' });
  });

  it('a suppression for all stops every type; one for marketing stops marketing only', () => {
    for (const type of emailTypes)
      expect(decide(type, { suppression: suppression('all') }), type).toEqual({ send: false, reason: 'suppressed' });
    expect(decide('winback_reminder', { suppression: suppression('marketing') })).toEqual({
      send: false,
      reason: 'suppressed',
    });
    expect(decide('winback_incentive', { suppression: suppression('marketing') })).toEqual({
      send: false,
      reason: 'suppressed',
    });
    for (const type of [
      'tier_up',
      'tier_down_warning',
      'tier_down',
      'points_expiring',
      'referral_reward_earned',
      'friend_welcome',
    ] as const) {
      expect(decide(type, { suppression: suppression('marketing') }), type).toEqual({
        send: true,
        to: 'ann@example.com',
      });
    }
  });

  it('marketing needs consent where the platform reports it, whatever the shop setting', () => {
    const lax = program({ emails: { marketingWithoutReportedConsent: true } });
    const declined = customer({ acceptsMarketing: false });
    expect(decide('winback_reminder', { customer: declined })).toEqual({ send: false, reason: 'no_consent' });
    expect(decide('winback_reminder', { customer: declined, program: lax })).toEqual({
      send: false,
      reason: 'no_consent',
    });
    // Transactional e-mail does not need it.
    expect(decide('tier_up', { customer: declined })).toEqual({ send: true, to: 'ann@example.com' });
  });

  it('marketing to a customer whose consent is unknown follows marketingWithoutReportedConsent', () => {
    const unknown = customer({ acceptsMarketing: undefined });
    expect(decide('winback_incentive', { customer: unknown })).toEqual({ send: false, reason: 'no_consent' });
    expect(
      decide('winback_incentive', {
        customer: unknown,
        program: program({ emails: { marketingWithoutReportedConsent: true } }),
      }),
    ).toEqual({ send: true, to: 'ann@example.com' });
    expect(decide('tier_down', { customer: unknown })).toEqual({ send: true, to: 'ann@example.com' });
  });

  it('cancels a win-back e-mail when the customer ordered after it was queued', () => {
    const created = '2026-03-01T10:00:00.000Z';
    expect(
      decide('winback_reminder', { customer: customer({ lastOrderAt: '2026-03-02T08:00:00.000Z' }) }, created),
    ).toEqual({ send: false, reason: 'ordered_since' });
    expect(
      decide('winback_incentive', { customer: customer({ lastOrderAt: '2026-03-01T10:00:00.001Z' }) }, created),
    ).toEqual({ send: false, reason: 'ordered_since' });
    // An order before (or at) queueing is what made them at risk in the first place.
    expect(
      decide('winback_reminder', { customer: customer({ lastOrderAt: '2025-11-01T08:00:00.000Z' }) }, created),
    ).toEqual({ send: true, to: 'ann@example.com' });
    expect(decide('winback_reminder', { customer: customer({ lastOrderAt: created }) }, created)).toEqual({
      send: true,
      to: 'ann@example.com',
    });
    // A transactional e-mail is not cancelled by an order.
    expect(decide('tier_up', { customer: customer({ lastOrderAt: '2026-03-02T08:00:00.000Z' }) }, created)).toEqual({
      send: true,
      to: 'ann@example.com',
    });
  });

  it('checks in a fixed order: shop, switch, type, redaction, address, suppression, consent, orders', () => {
    const everything = customer({
      redactedAt: NOW,
      email: undefined,
      acceptsMarketing: false,
      lastOrderAt: '2027-01-01T00:00:00.000Z',
    });
    expect(
      decide('winback_reminder', {
        program: program({ emails: { enabled: false }, winback: { enabled: false } }),
        customer: everything,
      }),
    ).toEqual({ send: false, reason: 'emails_disabled' });
    expect(
      decide('winback_reminder', { program: program({ winback: { enabled: false } }), customer: everything }),
    ).toEqual({ send: false, reason: 'type_disabled' });
    expect(decide('winback_reminder', { customer: everything, suppression: suppression('all') })).toEqual({
      send: false,
      reason: 'redacted',
    });
    expect(
      decide('winback_reminder', {
        customer: customer({ acceptsMarketing: false, lastOrderAt: '2027-01-01T00:00:00.000Z' }),
        suppression: suppression('marketing'),
      }),
    ).toEqual({ send: false, reason: 'suppressed' });
    expect(
      decide('winback_reminder', {
        customer: customer({ acceptsMarketing: false, lastOrderAt: '2027-01-01T00:00:00.000Z' }),
      }),
    ).toEqual({ send: false, reason: 'no_consent' });
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 seconds, without jitter at random 0.5', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, 0.5))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000,
    ]);
    // Zero attempts (or fewer) wait like the first.
    expect(retryDelayMs(0, 0.5)).toBe(30_000);
  });

  it('is capped at an hour', () => {
    expect(retryDelayMs(8, 0.5)).toBe(3_600_000);
    expect(retryDelayMs(50, 0.5)).toBe(3_600_000);
    expect(retryDelayMs(5000, 0.5)).toBe(3_600_000);
  });

  it('jitters within ±20 %', () => {
    expect(retryDelayMs(1, 0)).toBe(24_000);
    expect(retryDelayMs(1, 0.999999)).toBeLessThanOrEqual(36_000);
    expect(retryDelayMs(1, 1)).toBe(36_000);
    expect(retryDelayMs(100, 0)).toBe(2_880_000);
    expect(retryDelayMs(100, 1)).toBe(4_320_000);
    for (let attempts = 1; attempts <= 12; attempts++) {
      const base = retryDelayMs(attempts, 0.5);
      for (const r of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
        const d = retryDelayMs(attempts, r);
        expect(d).toBeGreaterThanOrEqual(Math.round(base * 0.8));
        expect(d).toBeLessThanOrEqual(Math.round(base * 1.2));
        expect(Number.isInteger(d)).toBe(true);
      }
    }
  });

  it('stays in bounds for a Math.random jitter', () => {
    for (let i = 0; i < 50; i++) {
      const d = retryDelayMs(3, Math.random());
      expect(d).toBeGreaterThanOrEqual(96_000);
      expect(d).toBeLessThanOrEqual(144_000);
    }
  });
});

describe('sendErrorKind', () => {
  const sdkError = (name: string, status?: number) =>
    Object.assign(new Error(name), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    });

  it('knows nothing was sent when SES could not be reached', () => {
    expect(
      sendErrorKind(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8005'), { code: 'ECONNREFUSED' })),
    ).toBe('not_sent');
    expect(sendErrorKind(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))).toBe('not_sent');
  });

  it('cannot tell when the answer was lost: the message may have been accepted', () => {
    expect(sendErrorKind(sdkError('TimeoutError'))).toBe('maybe_sent');
    expect(sendErrorKind(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('maybe_sent');
    expect(sendErrorKind(new Error('socket hang up'))).toBe('maybe_sent');
  });

  it('gives up on messages SES refuses for what they are, and on other 4xx', () => {
    expect(sendErrorKind({ name: 'MessageRejected' })).toBe('permanent');
    expect(sendErrorKind(sdkError('MessageRejected', 400))).toBe('permanent');
    expect(sendErrorKind(sdkError('MailFromDomainNotVerifiedException'))).toBe('permanent');
    expect(sendErrorKind(sdkError('NotFoundException', 404))).toBe('permanent');
    expect(sendErrorKind(sdkError('AccessDeniedException', 403))).toBe('permanent');
    expect(sendErrorKind({ $metadata: { httpStatusCode: 400 } })).toBe('permanent');
  });

  it('retries throttling and a paused account at once: SES said no', () => {
    expect(sendErrorKind(sdkError('TooManyRequestsException', 429))).toBe('not_sent');
    expect(sendErrorKind(sdkError('SendingPausedException', 400))).toBe('not_sent');
    expect(sendErrorKind({ $metadata: { httpStatusCode: 429 } })).toBe('not_sent');
  });

  it('treats server errors and unreadable 2xx answers as possibly sent', () => {
    expect(sendErrorKind(sdkError('InternalFailure', 500))).toBe('maybe_sent');
    expect(sendErrorKind(sdkError('ServiceUnavailable', 503))).toBe('maybe_sent');
    expect(sendErrorKind(sdkError('SyntaxError', 200))).toBe('maybe_sent');
  });
});
