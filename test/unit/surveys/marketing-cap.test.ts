import { describe, expect, it } from 'vitest';
import { programSchema } from '../../../shared/schemas/program';
import { newCustomer, type CustomerRecord } from '../../../shared/domain/ledger/customer';
import { decideSurvey } from '../../../shared/domain/surveys/schedule';
import { planWinbackStart } from '../../../shared/domain/winback/series';

/**
 * Found in review (issue 15): the weekly marketing cap must hold across a survey queued for later and a
 * win-back e-mail queued in the meantime. The win-back's cap check only counts marketing e-mails
 * dated up to its own `now`, so a survey due the next day is not counted, and the customer gets
 * two marketing e-mails within ~a day under a cap of one per week.
 */
describe('a survey queued for later and a win-back share the weekly marketing cap', () => {
  it('refuses (or delays) a win-back that would land within 7 days before an already queued survey', () => {
    const program = programSchema.parse({ surveys: { enabled: true }, emails: { marketingCapPerWeek: 1 } });
    const c: CustomerRecord = {
      ...newCustomer('i.1', '2026-01-01T00:00:00.000Z'),
      email: 'ann@example.com',
      acceptsMarketing: true,
    };
    const d = decideSurvey(
      c,
      program,
      { orderId: '1001', paidAt: '2026-03-01T09:00:00.000Z' },
      '2026-03-01T10:00:00.000Z',
    );
    if (!d.queue) throw new Error('expected a survey');
    expect(d.email.dueAt).toBe('2026-03-15T09:00:00.000Z');
    // The nightly run finds the customer at risk the day before the survey goes.
    const w = planWinbackStart(d.customer, program, '2026-03-14T09:00:00.000Z', '2026-03-14T00:00:00.000Z');
    // With cap 1/week, a win-back now plus the survey tomorrow is two marketing e-mails in 24 h.
    expect(w).toEqual({ ok: false, reason: 'cap' });
  });
});
