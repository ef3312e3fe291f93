import { describe, expect, it } from 'vitest';
import { programSchema, type Program } from '../../../shared/schemas/program';
import { newCustomer, type CustomerRecord } from '../../../shared/domain/ledger/customer';
import { emptyOrderRecord, type OrderRecord } from '../../../shared/domain/ledger/order-record';
import { decideSurvey, surveyIdFor, surveyStillAsks, withSurvey } from '../../../shared/domain/surveys/schedule';
import { planWinbackStart } from '../../../shared/domain/winback/series';

const NOW = '2026-03-01T10:00:00.000Z';
const PAID = '2026-03-01T09:00:00.000Z';

const program = (surveys: Record<string, unknown> = { enabled: true }, emails: Record<string, unknown> = {}): Program =>
  programSchema.parse({ surveys, emails });

const customer = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  ...newCustomer('i.1', '2026-01-01T00:00:00.000Z'),
  email: 'ann@example.com',
  ...over,
});

const order = (over: Partial<OrderRecord> = {}): OrderRecord => ({
  ...emptyOrderRecord('1001'),
  cid: 'i.1',
  paidAt: PAID,
  awarded: { points: 50, credit: 0 },
  ...over,
});

describe('decideSurvey: whether and when a survey is queued', () => {
  it('queues one due delayDays after payment, remembering it for the cooldown and the marketing cap', () => {
    const d = decideSurvey(customer(), program(), { orderId: '1001', paidAt: PAID }, NOW);
    expect(d.queue).toBe(true);
    if (!d.queue) return;
    expect(d.email).toEqual({
      type: 'survey_request',
      cid: 'i.1',
      at: NOW,
      dueAt: '2026-03-15T09:00:00.000Z',
      data: { surveyId: surveyIdFor('1001'), orderId: '1001', orderedAt: PAID },
    });
    expect(d.customer.surveyQueuedAt).toBe(NOW);
    expect(d.customer.marketingQueuedAt).toEqual(['2026-03-15T09:00:00.000Z']);
  });

  it('uses the configured delay, and never queues into the past', () => {
    const d = decideSurvey(customer(), program({ enabled: true, delayDays: 3 }), { orderId: '1', paidAt: PAID }, NOW);
    expect(d.queue && d.email.dueAt).toBe('2026-03-04T09:00:00.000Z');
    const late = decideSurvey(
      customer(),
      program({ enabled: true, delayDays: 0 }),
      { orderId: '1', paidAt: PAID },
      NOW,
    );
    expect(late.queue && late.email.dueAt).toBe(NOW);
  });

  it('does not ask about an order whose survey fell due more than a week before it reached us (an imported history)', () => {
    const weekLate = decideSurvey(customer(), program(), { orderId: '1', paidAt: '2026-02-08T10:00:00.000Z' }, NOW);
    expect(weekLate.queue && weekLate.email.dueAt).toBe(NOW);
    const old = decideSurvey(customer(), program(), { orderId: '1', paidAt: '2026-02-08T09:59:59.000Z' }, NOW);
    expect(old).toEqual({ queue: false, reason: 'stale' });
  });

  it('is off by default and when e-mails are off', () => {
    expect(decideSurvey(customer(), programSchema.parse({}), { orderId: '1', paidAt: PAID }, NOW)).toEqual({
      queue: false,
      reason: 'disabled',
    });
    expect(
      decideSurvey(customer(), program(undefined, { enabled: false }), { orderId: '1', paidAt: PAID }, NOW),
    ).toEqual({ queue: false, reason: 'disabled' });
  });

  it('needs an address to send to', () => {
    const none = customer({ email: undefined });
    expect(decideSurvey(none, program(), { orderId: '1', paidAt: PAID }, NOW)).toEqual({
      queue: false,
      reason: 'no_address',
    });
    const erased = customer({ redactedAt: '2026-02-01T00:00:00.000Z' });
    expect(decideSurvey(erased, program(), { orderId: '1', paidAt: PAID }, NOW).queue).toBe(false);
  });

  it('asks a customer at most once per cooldownDays', () => {
    const asked = (at: string) => customer({ surveyQueuedAt: at });
    const p = program({ enabled: true, cooldownDays: 90 });
    // 89 days ago: still cooling down; 91 days ago: asked again.
    expect(decideSurvey(asked('2025-12-02T10:00:00.000Z'), p, { orderId: '1', paidAt: PAID }, NOW)).toEqual({
      queue: false,
      reason: 'cooldown',
    });
    expect(decideSurvey(asked('2025-11-30T10:00:00.000Z'), p, { orderId: '1', paidAt: PAID }, NOW).queue).toBe(true);
  });

  it('moves a survey that would exceed the weekly marketing cap to its next free slot, or drops it at cap 0', () => {
    const busy = customer({ marketingQueuedAt: ['2026-03-12T00:00:00.000Z', '2026-03-13T00:00:00.000Z'] });
    const d = decideSurvey(busy, program(), { orderId: '1', paidAt: PAID }, NOW);
    // Cap 2 per 7 days: the first of the two leaves the window at 2026-03-19T00:00.
    expect(d.queue && d.email.dueAt).toBe('2026-03-19T00:00:00.001Z');
    expect(
      decideSurvey(customer(), program(undefined, { marketingCapPerWeek: 0 }), { orderId: '1', paidAt: PAID }, NOW),
    ).toEqual({ queue: false, reason: 'cap' });
  });

  it('keeps a survey due later counted when a win-back e-mail is queued before it', () => {
    const d = decideSurvey(customer({ acceptsMarketing: true }), program(), { orderId: '1', paidAt: PAID }, NOW);
    if (!d.queue) throw new Error('expected a survey');
    const p = program();
    const w = planWinbackStart(d.customer, p, '2026-03-02T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
    expect(w.ok && w.customer.marketingQueuedAt).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-15T09:00:00.000Z']);
  });
});

describe('withSurvey: only the delivery that first makes an earning order paid', () => {
  const effects: Parameters<typeof withSurvey>[1] = { customer: customer(), emails: [] };
  const step = (before: OrderRecord, next: OrderRecord) => ({ before, next, program: program(), now: NOW });

  it('queues on the first paid delivery', () => {
    const out = withSurvey(step(order({ paidAt: undefined }), order()), effects);
    expect(out.emails.map((e) => e.type)).toEqual(['survey_request']);
  });

  it('not again for a later delivery of the same order, a test order, one that earns nothing, or a cancelled one', () => {
    expect(withSurvey(step(order(), order()), effects)).toBe(effects);
    const unpaid = order({ paidAt: undefined });
    expect(withSurvey(step(unpaid, order({ awarded: { points: 0, credit: 0 } })), effects)).toBe(effects);
    expect(withSurvey(step(unpaid, order({ cancelledAt: NOW })), effects)).toBe(effects);
    const test = order({
      state: { test: true } as OrderRecord['state'],
    });
    expect(withSurvey(step(unpaid, test), effects)).toBe(effects);
  });
});

describe('surveyStillAsks: a queued survey about a refunded order is dropped', () => {
  it('keeps partly refunded orders, drops cancelled or fully refunded ones', () => {
    expect(surveyStillAsks(order({ awarded: { points: 20, credit: 0 } }))).toBe(true);
    expect(surveyStillAsks(order({ awarded: { points: 0, credit: 0 } }))).toBe(false);
    expect(surveyStillAsks(order({ cancelledAt: NOW }))).toBe(false);
  });
});

describe('surveyIdFor', () => {
  it('is stable per order, differs between orders and is safe in keys and activity ids', () => {
    expect(surveyIdFor('1001')).toBe(surveyIdFor('1001'));
    expect(surveyIdFor('1001')).not.toBe(surveyIdFor('1002'));
    expect(surveyIdFor('gid://shopify/Order/1#x')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
