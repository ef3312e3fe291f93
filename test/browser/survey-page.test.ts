import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyIdFor } from '../../shared/domain/surveys/schedule';
import { signSurveyToken, surveySecretFrom } from '../../shared/domain/surveys/token';
import { customOrderBody, sendCustomOrder } from '../support/custom-orders';
import { randomId, startTestStack, type CreatedShop, type TestStack } from '../support/stack';
import { launchChromium, screenshot } from './support';

/**
 * The hosted survey page in Chromium at a phone's width: answered with the keyboard alone in
 * English and Danish, nothing loaded from anywhere but our own origin, nothing wider than 360 px.
 */
declare const document: { documentElement: { scrollWidth: number } };

let stack: TestStack;
let browser: Browser;
let shop: CreatedShop;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dailyStats: false }), launchChromium()]);
  shop = await stack.createShop({
    name: 'Keramik & Co',
    program: { surveys: { enabled: true }, waysToEarn: [{ type: 'survey', points: 100, limit: 'unlimited' }] },
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** A customer with a paid order, and a survey link for it in their language. */
const surveyLink = async (locale: 'en' | 'da'): Promise<{ url: string; ref: string }> => {
  const ref = randomId('buyer-');
  const orderId = randomId('order-');
  await sendCustomOrder(
    stack,
    shop,
    customOrderBody({
      id: orderId,
      customer: { id: ref, email: `${ref}@example.com` },
      total: '300.00',
      createdAt: new Date().toISOString(),
    }),
  );
  const token = signSurveyToken(
    surveySecretFrom(stack.operatorKey),
    { shopId: shop.shop.id, cid: `i.${ref}`, surveyId: surveyIdFor(orderId), orderId, locale },
    new Date(),
    30,
  );
  return { url: `${stack.baseUrl}/survey/${shop.shop.id}?token=${token}`, ref };
};

/** Picks `n` on the focused question's 0–10 scale: Space takes 0, each arrow one more. */
const choose = async (page: Page, n: number) => {
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  for (let i = 0; i < n; i++) await page.keyboard.press('ArrowRight');
};

const cases = [
  {
    locale: 'en' as const,
    question: 'How likely are you to recommend us to friends and family?',
    others: ['How likely are you to buy from us again?', 'How likely are you to try other products of ours?'],
    thanks: 'Thank you! Your answer has been recorded.',
    points: '100 points have been added to your account.',
  },
  {
    locale: 'da' as const,
    question: 'Hvor sandsynligt er det, at du vil anbefale os til venner og familie?',
    others: [
      'Hvor sandsynligt er det, at du vil købe hos os igen?',
      'Hvor sandsynligt er det, at du vil prøve andre af vores produkter?',
    ],
    thanks: 'Tak! Dit svar er registreret.',
    points: 'Du har fået 100 point på din konto.',
  },
];

describe('the survey page in Chromium', () => {
  for (const c of cases) {
    it(`is answered with the keyboard at 360 px (${c.locale})`, async () => {
      const { url, ref } = await surveyLink(c.locale);
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const requested: string[] = [];
      page.on('request', (r) => requested.push(r.url()));
      await page.goto(url);
      expect(await page.locator('html').getAttribute('lang')).toBe(c.locale);
      expect(await page.locator('legend').allTextContents()).toEqual([c.question, ...c.others]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

      await choose(page, 3);
      await choose(page, 7);
      await choose(page, 9);
      await page.keyboard.press('Tab');
      await page.keyboard.type('The lid was chipped');
      expect(await page.locator('input[name="score"]:checked').getAttribute('value')).toBe('3');
      expect(await page.locator('input[name="buyAgain"]:checked').getAttribute('value')).toBe('7');
      expect(await page.locator('input[name="tryOther"]:checked').getAttribute('value')).toBe('9');
      await screenshot(page, `survey-page-${c.locale}-360`);
      await page.keyboard.press('Tab');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

      expect(await page.locator('main').textContent()).toContain(c.thanks);
      expect(await page.locator('main').textContent()).toContain(c.points);
      await screenshot(page, `survey-page-${c.locale}-thanks`);
      expect(requested.every((u) => u.startsWith(stack.baseUrl))).toBe(true);
      const customer = await stack.api('GET', `/admin/shops/${shop.shop.id}/customers/${ref}`, { key: shop.apiKey });
      expect(customer.json.points.balance).toBe(100);
      await context.close();
    });
  }
});
