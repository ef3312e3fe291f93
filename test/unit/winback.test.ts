import { describe, expect, it } from 'vitest';
import { newCustomer, type CustomerRecord } from '../../shared/domain/ledger/customer';
import { marketingSlotAt, planWinbackStart, planWinbackStep } from '../../shared/domain/winback/series';
import { programSchema, type Program } from '../../shared/schemas/program';

const dayMs = 86_400_000;
const plusDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * dayMs).toISOString();

const NOW = '2026-03-10T02:00:00.000Z';
const RISK_SINCE = '2026-03-09T00:00:00.000Z';
const program = (over: Record<string, unknown> = {}): Program => programSchema.parse(over);
const customer = (over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  ...newCustomer('i.7', '2025-01-01T00:00:00.000Z'),
  email: 'bo@example.com',
  acceptsMarketing: true,
  lastOrderAt: '2025-09-01T12:00:00.000Z',
  points: { available: 420, pending: 0, lifetimeEarned: 900 },
  ...over,
});

describe('planWinbackStart', () => {
  it('queues the reminder, starts the series and counts the e-mail against the cap', () => {
    const plan = planWinbackStart(customer(), program(), NOW, RISK_SINCE);
    expect(plan).toEqual({
      ok: true,
      customer: {
        ...customer(),
        winback: { startedAt: NOW, step: 'reminder', nextAt: plusDays(NOW, 14) },
        marketingQueuedAt: [NOW],
      },
      emails: [
        {
          type: 'winback_reminder',
          cid: 'i.7',
          at: NOW,
          data: { pointsBalance: 420, lastOrderAt: '2025-09-01T12:00:00.000Z' },
        },
      ],
    });
  });

  it('schedules the incentive incentiveAfterDays later', () => {
    const plan = planWinbackStart(customer(), program({ winback: { incentiveAfterDays: 3 } }), NOW, RISK_SINCE);
    expect(plan.ok && plan.customer.winback).toEqual({
      startedAt: NOW,
      step: 'reminder',
      nextAt: '2026-03-13T02:00:00.000Z',
    });
  });

  it('leaves lastOrderAt out of the reminder for a customer who never ordered', () => {
    const plan = planWinbackStart(customer({ lastOrderAt: undefined }), program(), NOW, RISK_SINCE);
    expect(plan.ok && plan.emails[0]!.data).toEqual({ pointsBalance: 420 });
  });

  it('with no incentive configured, the series is done after the reminder', () => {
    const plan = planWinbackStart(customer(), program({ winback: { incentiveRewardId: null } }), NOW, RISK_SINCE);
    expect(plan.ok).toBe(true);
    expect(plan.ok && plan.customer.winback).toEqual({ startedAt: NOW, step: 'done' });
    expect(plan.ok && plan.emails.map((e) => e.type)).toEqual(['winback_reminder']);
  });

  it('is off when win-back or e-mails are off', () => {
    expect(planWinbackStart(customer(), program({ winback: { enabled: false } }), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'disabled',
    });
    expect(planWinbackStart(customer(), program({ emails: { enabled: false } }), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'disabled',
    });
  });

  it('needs an address', () => {
    expect(planWinbackStart(customer({ email: undefined }), program(), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'no_address',
    });
    expect(planWinbackStart(customer({ redactedAt: '2026-01-01T00:00:00.000Z' }), program(), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'no_address',
    });
  });

  it('needs consent: reported consent is obeyed, unknown consent follows the shop setting', () => {
    const lax = program({ emails: { marketingWithoutReportedConsent: true } });
    expect(planWinbackStart(customer({ acceptsMarketing: false }), program(), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'no_consent',
    });
    expect(planWinbackStart(customer({ acceptsMarketing: false }), lax, NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'no_consent',
    });
    expect(planWinbackStart(customer({ acceptsMarketing: undefined }), program(), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'no_consent',
    });
    expect(planWinbackStart(customer({ acceptsMarketing: undefined }), lax, NOW, RISK_SINCE).ok).toBe(true);
  });

  it('does not start for a customer who ordered after the risk was measured', () => {
    expect(planWinbackStart(customer({ lastOrderAt: '2026-03-09T10:00:00.000Z' }), program(), NOW, RISK_SINCE)).toEqual(
      { ok: false, reason: 'ordered_recently' },
    );
    expect(planWinbackStart(customer({ lastOrderAt: RISK_SINCE }), program(), NOW, RISK_SINCE).ok).toBe(true);
  });

  it('does not start a second series while one is running', () => {
    const inSeries = customer({
      winback: { startedAt: '2026-03-05T02:00:00.000Z', step: 'reminder', nextAt: '2026-03-19T02:00:00.000Z' },
    });
    expect(planWinbackStart(inSeries, program(), NOW, RISK_SINCE)).toEqual({ ok: false, reason: 'in_series' });
    // Even one started long ago whose incentive is still waiting for a slot.
    const old = customer({
      winback: { startedAt: '2025-01-01T00:00:00.000Z', step: 'reminder', nextAt: '2025-01-15T00:00:00.000Z' },
    });
    expect(planWinbackStart(old, program(), NOW, RISK_SINCE)).toEqual({ ok: false, reason: 'in_series' });
  });

  it('waits cooldownDays (90) after the last series started, however it ended', () => {
    for (const step of ['done', 'stopped'] as const) {
      const started = plusDays(NOW, -90);
      const last = (startedAt: string) => customer({ winback: { startedAt, step } });
      expect(planWinbackStart(last(plusDays(NOW, -89)), program(), NOW, RISK_SINCE)).toEqual({
        ok: false,
        reason: 'cooldown',
      });
      expect(
        planWinbackStart(last(new Date(Date.parse(started) + 1).toISOString()), program(), NOW, RISK_SINCE),
      ).toEqual({ ok: false, reason: 'cooldown' });
      expect(planWinbackStart(last(started), program(), NOW, RISK_SINCE).ok).toBe(true);
    }
    const shorter = program({ winback: { cooldownDays: 30 } });
    expect(
      planWinbackStart(customer({ winback: { startedAt: plusDays(NOW, -31), step: 'done' } }), shorter, NOW, RISK_SINCE)
        .ok,
    ).toBe(true);
  });

  it('respects the weekly marketing cap (2 by default) over the last 7 days', () => {
    const two = [plusDays(NOW, -6), plusDays(NOW, -1)];
    expect(planWinbackStart(customer({ marketingQueuedAt: two }), program(), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'cap',
    });
    // One of them older than a week: room again, and the old one is dropped from the list.
    const plan = planWinbackStart(
      customer({ marketingQueuedAt: [plusDays(NOW, -8), plusDays(NOW, -1)] }),
      program(),
      NOW,
      RISK_SINCE,
    );
    expect(plan.ok && plan.customer.marketingQueuedAt).toEqual([plusDays(NOW, -1), NOW]);
    // Exactly 7 days old no longer counts.
    expect(
      planWinbackStart(
        customer({ marketingQueuedAt: [plusDays(NOW, -7), plusDays(NOW, -1)] }),
        program(),
        NOW,
        RISK_SINCE,
      ).ok,
    ).toBe(true);
    // A cap of 3 has room for a third; a cap of 0 never does.
    expect(
      planWinbackStart(
        customer({ marketingQueuedAt: two }),
        program({ emails: { marketingCapPerWeek: 3 } }),
        NOW,
        RISK_SINCE,
      ).ok,
    ).toBe(true);
    expect(planWinbackStart(customer(), program({ emails: { marketingCapPerWeek: 0 } }), NOW, RISK_SINCE)).toEqual({
      ok: false,
      reason: 'cap',
    });
  });
});

describe('marketingSlotAt', () => {
  it('is now with room, else just after the oldest counted e-mail leaves the week', () => {
    expect(marketingSlotAt(customer(), program(), NOW)).toBe(NOW);
    const queued = [plusDays(NOW, -1), plusDays(NOW, -5)];
    expect(marketingSlotAt(customer({ marketingQueuedAt: queued }), program(), NOW)).toBe(
      new Date(Date.parse(plusDays(NOW, 2)) + 1).toISOString(),
    );
    expect(marketingSlotAt(customer(), program({ emails: { marketingCapPerWeek: 0 } }), NOW)).toBeUndefined();
  });
});

describe('planWinbackStep', () => {
  const startedAt = '2026-03-01T02:00:00.000Z';
  const dueAt = '2026-03-15T02:00:00.000Z';
  const inSeries = (over: Partial<CustomerRecord> = {}) =>
    customer({ winback: { startedAt, step: 'reminder', nextAt: dueAt }, marketingQueuedAt: [startedAt], ...over });
  const ctx = (now: string) => ({ now, currency: 'DKK', newCode: () => 'WB-ABC123' });

  it('does nothing before the incentive is due, or outside a running series', () => {
    expect(planWinbackStep(inSeries(), program(), ctx('2026-03-15T01:59:59.999Z'))).toBeUndefined();
    expect(planWinbackStep(customer(), program(), ctx(dueAt))).toBeUndefined();
    expect(planWinbackStep(customer({ winback: { startedAt, step: 'done' } }), program(), ctx(dueAt))).toBeUndefined();
    expect(
      planWinbackStep(customer({ winback: { startedAt, step: 'stopped' } }), program(), ctx(dueAt)),
    ).toBeUndefined();
    expect(
      planWinbackStep(customer({ winback: { startedAt, step: 'reminder' } }), program(), ctx(dueAt)),
    ).toBeUndefined();
  });

  it("sends the incentive with a fresh code and the reward's data once due", () => {
    let codes = 0;
    const out = planWinbackStep(inSeries(), program(), {
      now: dueAt,
      currency: 'DKK',
      newCode: () => `WB-${++codes}`,
    })!;
    expect(codes).toBe(1);
    expect(out.emails).toEqual([
      {
        type: 'winback_incentive',
        cid: 'i.7',
        at: dueAt,
        data: {
          code: 'WB-1',
          rewardName: '5 off your next order',
          valueMinor: 500,
          currency: 'DKK',
          pointsBalance: 420,
        },
      },
    ]);
    expect(out.customer.winback).toEqual({ startedAt, step: 'done', code: 'WB-1' });
    // The reminder, two weeks old, no longer counts and is pruned.
    expect(out.customer.marketingQueuedAt).toEqual([dueAt]);
    // Later than due works too.
    expect(planWinbackStep(inSeries(), program(), ctx('2026-03-20T00:00:00.000Z'))!.emails).toHaveLength(1);
  });

  it('uses the configured catalogue reward', () => {
    const p = program({
      winback: { incentiveRewardId: 'ten-off' },
      rewards: [{ id: 'ten-off', name: '10 off', type: 'discount_code', pointsCost: 800, valueMinor: 1000 }],
    });
    const out = planWinbackStep(inSeries(), p, ctx(dueAt))!;
    expect(out.emails[0]!.data).toMatchObject({
      code: 'WB-ABC123',
      rewardName: '10 off',
      valueMinor: 1000,
      currency: 'DKK',
    });
  });

  it('stops the series without an e-mail when the customer ordered since it started', () => {
    const newCode = () => {
      throw new Error('no code for a stopped series');
    };
    const out = planWinbackStep(inSeries({ lastOrderAt: '2026-03-05T09:00:00.000Z' }), program(), {
      now: dueAt,
      currency: 'DKK',
      newCode,
    })!;
    expect(out.emails).toEqual([]);
    expect(out.customer.winback).toEqual({ startedAt, step: 'stopped' });
  });

  it('postpones the incentive when the weekly cap is full, to when a slot frees', () => {
    const queued = ['2026-03-10T08:00:00.000Z', '2026-03-12T08:00:00.000Z'];
    const out = planWinbackStep(inSeries({ marketingQueuedAt: queued }), program(), ctx(dueAt))!;
    const slot = '2026-03-17T08:00:00.001Z';
    expect(out.emails).toEqual([]);
    expect(out.customer.winback).toEqual({ startedAt, step: 'reminder', nextAt: slot });
    expect(out.customer.marketingQueuedAt).toEqual(queued);
    // Not due again before the slot; at the slot it goes out.
    expect(planWinbackStep(out.customer, program(), ctx('2026-03-17T08:00:00.000Z'))).toBeUndefined();
    const later = planWinbackStep(out.customer, program(), ctx(slot))!;
    expect(later.emails.map((e) => e.type)).toEqual(['winback_incentive']);
    expect(later.customer.marketingQueuedAt).toEqual(['2026-03-12T08:00:00.000Z', slot]);
  });

  it('ends the series after the reminder when the reward left the catalogue (or is not a discount code)', () => {
    const gone = program({
      rewards: [{ id: 'credit-10', name: '10 store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 1000 }],
    });
    const out = planWinbackStep(inSeries(), gone, ctx(dueAt))!;
    expect(out.emails).toEqual([]);
    expect(out.customer.winback).toEqual({ startedAt, step: 'done' });
    const notACode = program({ winback: { incentiveRewardId: 'credit-10' } });
    expect(planWinbackStep(inSeries(), notACode, ctx(dueAt))).toEqual({
      customer: { ...inSeries(), winback: { startedAt, step: 'done' } },
      emails: [],
    });
  });

  it('ends the series without an e-mail when the customer can no longer be e-mailed', () => {
    for (const c of [
      inSeries({ acceptsMarketing: false }),
      inSeries({ email: undefined }),
      inSeries({ redactedAt: '2026-03-02T00:00:00.000Z' }),
    ]) {
      const out = planWinbackStep(c, program(), ctx(dueAt))!;
      expect(out.emails).toEqual([]);
      expect(out.customer.winback).toEqual({ startedAt, step: 'done' });
    }
    expect(
      planWinbackStep(inSeries(), program({ winback: { enabled: false } }), ctx(dueAt))!.customer.winback?.step,
    ).toBe('done');
  });
});

describe('a shop-made incentive code', () => {
  it('is given instead of a generated one', async () => {
    const { planWinbackStart, planWinbackStep } = await import('../../shared/domain/winback/series');
    const { programSchema } = await import('../../shared/schemas/program');
    const { newCustomer } = await import('../../shared/domain/ledger/customer');
    const program = programSchema.parse({ winback: { incentiveCode: 'COMEBACK10' } });
    const c = { ...newCustomer('i.w', '2026-01-01T00:00:00.000Z'), email: 'w@example.com', acceptsMarketing: true };
    const started = planWinbackStart(c, program, '2026-06-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
    if (!started.ok) throw new Error(started.reason);
    const step = planWinbackStep(started.customer, program, {
      now: '2026-06-20T00:00:00.000Z',
      currency: 'DKK',
      newCode: () => 'BMR-XXXX-XXXX',
    })!;
    expect(step.customer.winback).toMatchObject({ step: 'done', code: 'COMEBACK10' });
    expect(step.emails[0]).toMatchObject({ type: 'winback_incentive', data: { code: 'COMEBACK10' } });
    expect(programSchema.safeParse({ winback: { incentiveCode: 'has space' } }).success).toBe(false);
  });
});
