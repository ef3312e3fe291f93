import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as outboxHandler } from '../../functions/outbox-sender/handler';
import { handler as surveysHandler } from '../../functions/surveys/handler';
import { createRuntime, runtime, setRuntime } from '../../shared/wiring/runtime';
import { signSurveyToken, surveySecretFrom } from '../../shared/domain/surveys/token';
import { surveyIdFor } from '../../shared/domain/surveys/schedule';
import { customOrderBody } from '../support/custom-orders';
import { customHeaders } from '../support/payloads';
import {
  randomId,
  sesMessages,
  startTestStack,
  type CreatedShop,
  type SesEmail,
  type TestStack,
} from '../support/stack';

/**
 * Post-purchase surveys end to end (docs/surveys.md): a paid order queues the survey e-mail in
 * its own transaction, due `delayDays` later; the outbox sender sends it then, once; its signed
 * link opens the hosted page, whose form records the answer once and awards the `survey` way to
 * earn once; a detractor or a comment reaches the marketers through the feedback alerts.
 */
let stack: TestStack;
/** Added to the wall clock: lets the survey's delay pass without waiting for it. */
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };
const day = 86_400_000;

beforeAll(async () => {
  stack = await startTestStack({ dailyStats: false });
  process.env.BOOMERANG_PUBLIC_BASE_URL = stack.baseUrl;
  setRuntime({ ...createRuntime(), clock });
});
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  offsetMs = 0;
});

const sweep = () =>
  outboxHandler({ job: 'outbox-sweep' }, { getRemainingTimeInMillis: () => 60_000 }) as Promise<Record<string, number>>;

const surveyShop = async (over: Record<string, unknown> = {}) => {
  const marketer = `${randomId('marketer-')}@shop.example.com`;
  const shop = await stack.createShop({
    marketerEmails: [],
    program: {
      surveys: { enabled: true, delayDays: 14, cooldownDays: 90, linkValidDays: 30 },
      waysToEarn: [{ type: 'survey', points: 100, limit: 'unlimited' }],
      ...over,
    },
  });
  const invited = await stack.api('POST', `/admin/shops/${shop.shop.id}/users`, {
    key: shop.apiKey,
    body: { email: marketer, role: 'marketer', name: 'Mia Marketer' },
  });
  expect(invited.status, invited.text).toBe(201);
  return { shop, marketer };
};

const order = async (shop: CreatedShop, id: string, customer: Record<string, unknown>, type = 'order.paid') => {
  const body = customOrderBody({ id, customer, total: '400.00', createdAt: clock.now().toISOString(), type });
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret, clock.now()),
  });
  expect(r.status, r.text).toBe(200);
};

const surveyMails = async (to: string): Promise<SesEmail[]> =>
  (await sesMessages({ to })).filter((m) => /survey\/[^?]+\?token=/.test(m.body.text ?? ''));
const linkIn = (m: SesEmail): string => /(https?:\/\/\S+\/survey\/\S+\?token=[A-Za-z0-9_.-]+)/.exec(m.body.text!)![1]!;
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

const points = async (shop: CreatedShop, ref: string): Promise<number> =>
  (await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${encodeURIComponent(ref)}`, { key: shop.apiKey }))
    .json.points.balance;

const page = (shopId: string, token: string) =>
  stack.api('GET', `/survey/${shopId}?token=${encodeURIComponent(token)}`);
const submit = (shopId: string, fields: Record<string, string>) =>
  stack.api('POST', `/survey/${shopId}`, {
    body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

const runAlerts = async (shop: CreatedShop) => {
  const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/feedback-alerts`, { key: shop.apiKey });
  expect(r.status, r.text).toBe(200);
  return r.json.result as { alerted: number; emails: number; recipients: number };
};
const alertMails = async (marketer: string) =>
  (await sesMessages({ to: marketer })).filter((m) => /answers? needs? a look|kundesvar/.test(m.subject));

describe('the survey e-mail goes out on schedule', () => {
  it('is due delayDays after payment, sent once then; consent and suppressions are honoured', async () => {
    const { shop } = await surveyShop();
    const id = shop.shop.id;
    const anna = `${randomId('anna-')}@example.com`;
    const bo = `${randomId('bo-')}@example.com`;
    const cy = `${randomId('cy-')}@example.com`;
    await order(shop, `${id}-1`, {
      id: `${id}-anna`,
      email: anna,
      firstName: 'Anna',
      acceptsMarketing: true,
      locale: 'en',
    });
    await order(shop, `${id}-2`, { id: `${id}-bo`, email: bo, acceptsMarketing: false });
    await order(shop, `${id}-3`, { id: `${id}-cy`, email: cy, acceptsMarketing: true });
    const put = await stack.api('PUT', `/admin/shops/${id}/suppressions/${encodeURIComponent(cy)}`, {
      key: shop.apiKey,
      body: { scope: 'marketing' },
    });
    expect(put.status, put.text).toBeLessThan(300);

    const pending = (await stack.api('GET', `/admin/shops/${id}/outbox?status=pending&limit=100`, { key: shop.apiKey }))
      .json.items as { type: string; dueAt: string }[];
    const surveys = pending.filter((i) => i.type === 'survey_request');
    expect(surveys).toHaveLength(3);
    for (const s of surveys) expect(Date.parse(s.dueAt) - Date.now()).toBeGreaterThan(14 * day - 60_000);

    await sweep();
    offsetMs = 13 * day;
    await sweep();
    expect(await surveyMails(anna)).toHaveLength(0);

    offsetMs = 14 * day + 5 * 60_000;
    const due = await sweep();
    await sweep();
    const sent = await surveyMails(anna);
    expect(sent, JSON.stringify(due)).toHaveLength(1);
    expect(sent[0]!.subject).toBe('How was your order from Test Shop?');
    expect(linkIn(sent[0]!)).toContain(`${stack.baseUrl}/survey/${id}?token=`);
    expect(await surveyMails(bo)).toHaveLength(0);
    expect(await surveyMails(cy)).toHaveLength(0);
    const skipped = (await stack.api('GET', `/admin/shops/${id}/outbox?status=skipped&limit=100`, { key: shop.apiKey }))
      .json.items as { type: string; reason: string }[];
    expect(
      skipped
        .filter((i) => i.type === 'survey_request')
        .map((i) => i.reason)
        .sort(),
    ).toEqual(['no_consent', 'suppressed']);

    // A retried webhook of the same paid order queues nothing more; neither does the customer's next order
    // (cooldown).
    await order(shop, `${id}-1`, { id: `${id}-anna`, email: anna, acceptsMarketing: true });
    await order(shop, `${id}-4`, { id: `${id}-anna`, email: anna, acceptsMarketing: true });
    offsetMs = 40 * day;
    await sweep();
    expect(await surveyMails(anna)).toHaveLength(1);
  });

  it('drops a survey whose order was cancelled before it fell due', async () => {
    const { shop } = await surveyShop();
    const id = shop.shop.id;
    const dan = `${randomId('dan-')}@example.com`;
    const who = { id: `${id}-dan`, email: dan, acceptsMarketing: true };
    await order(shop, `${id}-9`, who);
    const cancel = customOrderBody({
      id: `${id}-9`,
      customer: who,
      total: '400.00',
      createdAt: clock.now().toISOString(),
      type: 'order.cancelled',
      cancelledAt: new Date(Date.now() + 60_000).toISOString(),
    });
    const r = await stack.api('POST', `/webhooks/custom/${id}`, {
      body: cancel,
      headers: customHeaders(cancel, shop.input.webhookSecret, clock.now()),
    });
    expect(r.status, r.text).toBe(200);
    offsetMs = 15 * day;
    await sweep();
    expect(await surveyMails(dan)).toHaveLength(0);
    const skipped = (await stack.api('GET', `/admin/shops/${id}/outbox?status=skipped&limit=100`, { key: shop.apiKey }))
      .json.items as { type: string; reason: string }[];
    expect(skipped).toEqual([expect.objectContaining({ type: 'survey_request', reason: 'order_refunded' })]);
  });
});

describe('the survey page and the feedback alerts', () => {
  let shop: CreatedShop;
  let marketer: string;
  let link: string;
  const eva = `${randomId('eva-')}@example.com`;

  beforeAll(async () => {
    ({ shop, marketer } = await surveyShop());
    await order(shop, `${shop.shop.id}-1`, {
      id: `${shop.shop.id}-eva`,
      email: eva,
      firstName: 'Eva',
      lastName: 'Holm',
      acceptsMarketing: true,
      locale: 'da',
    });
    offsetMs = 14 * day + 5 * 60_000;
    await sweep();
    offsetMs = 0;
    const [mail] = await surveyMails(eva);
    expect(mail?.subject).toBe('Hvordan gik din ordre hos Test Shop?');
    link = linkIn(mail!);
  });

  it('shows the questions in the customer language, records the answer once and awards the points once', async () => {
    const id = shop.shop.id;
    const token = tokenOf(link);
    const before = await points(shop, eva);
    const opened = await page(id, token);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(opened.text).toContain('Hvor sandsynligt er det, at du vil anbefale os til venner og familie?');

    const answer = { token, score: '3', buyAgain: '4', tryOther: '5', comment: 'Pakken kom for sent' };
    const first = await submit(id, answer);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Tak! Dit svar er registreret.');
    expect(await points(shop, eva)).toBe(before + 100);

    const again = await submit(id, { ...answer, score: '10' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('Du har allerede besvaret denne undersøgelse.');
    expect(await points(shop, eva)).toBe(before + 100);
    expect((await page(id, token)).text).toContain('Du har allerede besvaret denne undersøgelse.');
  });

  it('refuses an invalid or expired link and an incomplete form, changing nothing', async () => {
    const id = shop.shop.id;
    expect((await page(id, 'nope.nope')).status).toBe(400);
    expect((await submit(id, { token: 'nope.nope', score: '1', buyAgain: '1', tryOther: '1' })).status).toBe(400);
    // Signed when sent (14 days on), valid 30 days from then.
    offsetMs = 45 * day;
    expect((await page(id, tokenOf(link))).status).toBe(400);
    offsetMs = 0;
    const secret = surveySecretFrom(stack.operatorKey);
    const fresh = signSurveyToken(
      secret,
      { shopId: id, cid: `i.${id}-eva`, surveyId: surveyIdFor('other'), orderId: 'other' },
      new Date(),
      30,
    );
    const before = await points(shop, eva);
    const incomplete = await submit(id, { token: fresh, score: '9' });
    expect(incomplete.status).toBe(400);
    expect(incomplete.text).toContain('Besvar venligst dette spørgsmål.');
    expect(await points(shop, eva)).toBe(before);
  });

  it('awards once an answer whose award was lost (stored, not awarded) when it is sent again', async () => {
    const id = shop.shop.id;
    const surveyId = surveyIdFor('lost');
    const cid = `i.${id}-eva`;
    await runtime().nightly.putNpsAnswer(id, {
      cid,
      answerId: surveyId,
      score: 9,
      buyAgain: 9,
      tryOther: 9,
      at: new Date().toISOString(),
      source: 'survey',
      surveyId,
      orderId: 'lost',
    });
    const token = signSurveyToken(
      surveySecretFrom(stack.operatorKey),
      { shopId: id, cid, surveyId, orderId: 'lost' },
      new Date(),
      30,
    );
    const before = await points(shop, eva);
    const fields = { token, score: '9', buyAgain: '9', tryOther: '9' };
    expect((await submit(id, fields)).text).toContain('Du har allerede besvaret');
    expect(await points(shop, eva)).toBe(before + 100);
    await submit(id, fields);
    expect(await points(shop, eva)).toBe(before + 100);
  });

  it('records one answer and one award when the same form is sent five times at once', async () => {
    const id = shop.shop.id;
    const cid = `i.${id}-eva`;
    const surveyId = surveyIdFor('racing');
    const token = signSurveyToken(
      surveySecretFrom(stack.operatorKey),
      { shopId: id, cid, surveyId, orderId: 'racing' },
      new Date(),
      30,
    );
    const before = await points(shop, eva);
    const fields = { token, score: '8', buyAgain: '8', tryOther: '8' };
    const pages = await Promise.all(Array.from({ length: 5 }, () => submit(id, fields)));
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    expect(pages.filter((p) => p.text.includes('Tak! Dit svar er registreret.'))).toHaveLength(1);
    expect(await points(shop, eva)).toBe(before + 100);
  });

  it("sends the detractor's alert to the marketer once; a promoter without a comment raises none", async () => {
    const id = shop.shop.id;
    // The admin NPS route keeps working and feeds the same alerts.
    const promoter = await stack.api('POST', `/admin/shops/${id}/customers/${encodeURIComponent(eva)}/nps`, {
      key: shop.apiKey,
      body: { score: 10 },
    });
    expect(promoter.status).toBe(201);
    const first = await runAlerts(shop);
    expect(first).toMatchObject({ alerted: 1, emails: 1, recipients: 1 });
    const mails = await alertMails(marketer);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to).toEqual([marketer]);
    // The shop's language (da-DK), the customer, the scores, the comment and the history.
    expect(mails[0]!.body.text).toContain(`Eva Holm <${eva}>`);
    expect(mails[0]!.body.text).toContain('Vil anbefale: 3/10 (Kritiker)');
    expect(mails[0]!.body.text).toContain('Kommentar: Pakken kom for sent');
    expect(mails[0]!.body.text).toMatch(/Historik: \d+ ordrer/);

    expect(await runAlerts(shop)).toMatchObject({ alerted: 0, emails: 0 });
    expect(await alertMails(marketer)).toHaveLength(1);

    const commented = await stack.api('POST', `/admin/shops/${id}/customers/${encodeURIComponent(eva)}/nps`, {
      key: shop.apiKey,
      body: { score: 9, comment: 'Fin service' },
    });
    expect(commented.status).toBe(201);
    // The hourly schedule finds it too.
    const scheduled = (await surveysHandler({ job: 'feedback-alerts' }, {} as never)) as { alerted: number };
    expect(scheduled.alerted).toBeGreaterThanOrEqual(1);
    const after = await alertMails(marketer);
    expect(after).toHaveLength(2);
    expect(after.map((m) => m.body.text).join('\n')).toContain('Kommentar: Fin service');
  });

  it('is a job route for the shop only', async () => {
    const other = await stack.createShop();
    const r = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/feedback-alerts`, { key: other.apiKey });
    expect([403, 404]).toContain(r.status);
    const bad = await stack.api('POST', `/admin/shops/${shop.shop.id}/jobs/feedback-alerts`, {
      key: shop.apiKey,
      body: { asOf: 'yesterday' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
  });
});
