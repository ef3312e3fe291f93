import { describe, expect, it } from 'vitest';
import { parseSurveyForm } from '../../../shared/schemas/surveys';
import { feedbackAlertContent, needsFeedbackAlert } from '../../../shared/domain/surveys/alerts';

describe('needsFeedbackAlert', () => {
  it('flags detractors (0–6) and any answer with a comment, not passives or promoters without one', () => {
    expect([0, 6, 7, 8, 9, 10].map((score) => needsFeedbackAlert({ score }))).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(needsFeedbackAlert({ score: 10, comment: 'Lovely packaging' })).toBe(true);
    expect(needsFeedbackAlert({ score: 10, comment: '   ' })).toBe(false);
  });
});

describe('parseSurveyForm', () => {
  const full = { token: 't.x', score: '3', buyAgain: '5', tryOther: '10', comment: '  Slow delivery \r\n ' };

  it('accepts three 0–10 answers and trims the comment', () => {
    expect(parseSurveyForm(full)).toEqual({
      ok: true,
      form: { token: 't.x', score: 3, buyAgain: 5, tryOther: 10, comment: 'Slow delivery' },
    });
    expect(parseSurveyForm({ ...full, comment: '' })).toEqual({
      ok: true,
      form: { token: 't.x', score: 3, buyAgain: 5, tryOther: 10 },
    });
  });

  it('names each missing or out-of-range answer and keeps the valid ones', () => {
    const r = parseSurveyForm({ token: 't.x', score: '11', buyAgain: '4', comment: 'x'.repeat(2001) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.malformed).toBe(false);
    expect(r.state.errors).toEqual({ score: 'missing', tryOther: 'missing', comment: 'too_long' });
    expect(r.state.values).toMatchObject({ buyAgain: 4 });
  });

  it('is malformed without a token or with unknown fields', () => {
    expect(parseSurveyForm({ score: '1' })).toMatchObject({ ok: false, malformed: true });
    expect(parseSurveyForm({ ...full, extra: '1' })).toMatchObject({ ok: false, malformed: true });
  });
});

describe('feedbackAlertContent', () => {
  const row = {
    answerId: 'a1',
    at: '2026-03-15T12:00:00.000Z',
    source: 'survey' as const,
    score: 2,
    buyAgain: 3,
    tryOther: 1,
    comment: 'Broken <lid>',
    orderId: '1001',
    customer: {
      cid: 'i.7',
      name: 'Ann Lee',
      email: 'ann@example.com',
      orders: 3,
      totalSpentMinor: 125_000,
      points: 420,
      tierName: 'Gold',
      lastOrderAt: '2026-03-01T09:00:00.000Z',
    },
  };
  const shop = { name: 'Nordlys', currency: 'DKK', timezone: 'Europe/Copenhagen' };

  it('lists the customer, scores, comment, order and history; escapes the html', () => {
    const mail = feedbackAlertContent(shop, 'en', [row]);
    expect(mail.subject).toBe('Nordlys: 1 customer answer needs a look');
    expect(mail.text).toContain('Ann Lee <ann@example.com>');
    expect(mail.text).toContain('Would recommend: 2/10 (Detractor)');
    expect(mail.text).toContain('Would buy again: 3/10');
    expect(mail.text).toContain('Comment: Broken <lid>');
    expect(mail.text).toContain('Order: 1001');
    expect(mail.text.replace(/[\u00a0\u202f]/g, ' ')).toContain(
      '3 orders, DKK 1,250.00 spent, 420 points, tier Gold, last order 1 March 2026',
    );
    expect(mail.html).toContain('Broken &lt;lid&gt;');
    expect(mail.html).not.toContain('<lid>');
  });

  it('speaks Danish and does not name an erased customer', () => {
    const mail = feedbackAlertContent(shop, 'da', [
      { ...row, customer: { ...row.customer, name: undefined, email: undefined } },
    ]);
    expect(mail.subject).toBe('Nordlys: 1 kundesvar kræver opmærksomhed');
    expect(mail.text).toContain('Slettet kunde');
    expect(mail.text).toContain('Vil anbefale: 2/10 (Kritiker)');
  });
});
