import { escapeHtml } from '../emails/layout';
import { makeFormatter } from '../emails/format';
import type { EmailLocale } from '../emails/locales';

/**
 * Feedback alerts (docs/surveys.md): a detractor (NPS 0–6) or any answer with a comment is worth
 * a person's attention while it still matters, so the hourly batch e-mails the shop's marketers
 * one list of them with each customer's history.
 */
export const needsFeedbackAlert = (answer: { score: number; comment?: string }): boolean =>
  answer.score <= 6 || (answer.comment ?? '').trim() !== '';

/** One answer as the alert lists it; the history is as of the batch. */
export interface FeedbackAlertRow {
  answerId: string;
  at: string;
  source: 'api' | 'survey';
  score: number;
  buyAgain?: number;
  tryOther?: number;
  comment?: string;
  orderId?: string;
  customer: {
    cid: string;
    /** Absent for an erased customer: the alert never names them. */
    name?: string;
    email?: string;
    orders: number;
    totalSpentMinor: number;
    points: number;
    tierName?: string;
    lastOrderAt?: string;
  };
}

const words = {
  en: {
    subject: (shop: string, n: number) => `${shop}: ${n} customer ${n === 1 ? 'answer needs' : 'answers need'} a look`,
    intro: (shop: string) =>
      `These customers of ${shop} answered unhappily or left a comment. Reach out while it still matters.`,
    erased: 'Erased customer',
    recommend: 'Would recommend',
    buyAgain: 'Would buy again',
    tryOther: 'Would try other products',
    comment: 'Comment',
    order: 'Order',
    history: 'History',
    historyLine: (orders: number, spent: string, points: string, tier: string, last: string) =>
      `${orders} orders, ${spent} spent, ${points} points, tier ${tier}, last order ${last}`,
    none: '—',
    detractor: 'Detractor',
    from: { api: 'recorded by the shop', survey: 'post-purchase survey' },
  },
  da: {
    subject: (shop: string, n: number) => `${shop}: ${n} kundesvar kræver opmærksomhed`,
    intro: (shop: string) =>
      `Disse kunder hos ${shop} var utilfredse eller skrev en kommentar. Tag kontakt, mens det stadig betyder noget.`,
    erased: 'Slettet kunde',
    recommend: 'Vil anbefale',
    buyAgain: 'Vil købe igen',
    tryOther: 'Vil prøve andre produkter',
    comment: 'Kommentar',
    order: 'Ordre',
    history: 'Historik',
    historyLine: (orders: number, spent: string, points: string, tier: string, last: string) =>
      `${orders} ordrer, ${spent} købt for, ${points} point, niveau ${tier}, seneste ordre ${last}`,
    none: '—',
    detractor: 'Kritiker',
    from: { api: 'registreret af butikken', survey: 'undersøgelse efter køb' },
  },
} as const;

/** The alert e-mail's subject and parts, in the shop's language and time zone. */
export const feedbackAlertContent = (
  shop: { name: string; currency: string; timezone: string },
  locale: EmailLocale,
  rows: readonly FeedbackAlertRow[],
): { subject: string; html: string; text: string } => {
  const w = words[locale];
  const f = makeFormatter(locale, shop.timezone);
  const blocks = rows.map((r) => {
    const c = r.customer;
    const who = c.name || c.email ? [c.name, c.email ? `<${c.email}>` : undefined].filter(Boolean).join(' ') : w.erased;
    const scores = [
      `${w.recommend}: ${r.score}/10${r.score <= 6 ? ` (${w.detractor})` : ''}`,
      ...(r.buyAgain !== undefined ? [`${w.buyAgain}: ${r.buyAgain}/10`] : []),
      ...(r.tryOther !== undefined ? [`${w.tryOther}: ${r.tryOther}/10`] : []),
    ];
    const history = w.historyLine(
      c.orders,
      f.money(c.totalSpentMinor, shop.currency),
      f.integer(c.points),
      c.tierName ?? w.none,
      c.lastOrderAt ? f.date(c.lastOrderAt) : w.none,
    );
    return {
      title: `${who} — ${f.date(r.at)} (${w.from[r.source]})`,
      lines: [
        ...scores,
        ...(r.comment ? [`${w.comment}: ${r.comment}`] : []),
        ...(r.orderId ? [`${w.order}: ${r.orderId}`] : []),
        `${w.history}: ${history}`,
      ],
    };
  });
  const subject = w.subject(shop.name, rows.length);
  const text = [
    w.intro(shop.name),
    '',
    ...blocks.flatMap((b) => [b.title, ...b.lines.map((l) => `  ${l}`), '']),
    '— Boomerang',
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;font-size:14px;line-height:1.5">`,
    `<p>${escapeHtml(w.intro(shop.name))}</p>`,
    ...blocks.map(
      (b) =>
        `<h2 style="font-size:15px;margin:20px 0 4px">${escapeHtml(b.title)}</h2><ul style="margin:0;padding-left:20px">${b.lines
          .map((l) => `<li>${escapeHtml(l)}</li>`)
          .join('')}</ul>`,
    ),
    '<p>— Boomerang</p></body></html>',
  ].join('\n');
  return { subject, html, text };
};
