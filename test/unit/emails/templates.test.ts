import { describe, expect, it } from 'vitest';
import type { RenderContext } from '../../../shared/domain/emails/templates';
import {
  emailLocales,
  placeholdersFor,
  renderEmail as renderRaw,
  resolveLocale,
  sampleEmailData,
} from '../../../shared/domain/emails/templates';
import type { EmailData, EmailType } from '../../../shared/domain/emails/types';
import { loyaltyPageEmailTypes } from '../../../shared/domain/emails/types';
import type { EmailSettings } from '../../../shared/schemas/program';
import { emailSettingsSchema, emailTypes } from '../../../shared/schemas/program';

const NOW = new Date('2025-03-17T10:00:00Z');
const UNSUBSCRIBE = 'https://api.example.test/unsubscribe?t=abc.def&sig=123';

const ctx = (
  over: { shop?: Partial<RenderContext['shop']>; settings?: unknown; firstName?: string | null } = {},
): RenderContext => ({
  shop: {
    name: 'Nordlys',
    storefrontUrl: 'https://nordlys.example',
    currency: 'DKK',
    timezone: 'Europe/Copenhagen',
    ...over.shop,
  },
  settings: emailSettingsSchema.parse(over.settings ?? {}) as EmailSettings,
  customer: over.firstName === null ? {} : { firstName: over.firstName ?? 'Mette' },
  unsubscribeUrl: UNSUBSCRIBE,
});

/** How the html part must show a plain string (the layout escapes & < > " '). */
const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const TAG = /<\/?[a-z!][^>]*>/i;

/**
 * Intl keeps an amount and its unit together with no-break spaces ("500,00\u00a0kr."), which
 * is what an e-mail wants; the assertions below read better with plain spaces.
 */
const spaces = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const renderEmail: typeof renderRaw = (type, locale, data, c) => {
  const mail = renderRaw(type, locale, data, c);
  return { ...mail, subject: spaces(mail.subject), html: spaces(mail.html), text: spaces(mail.text) };
};

/** The built-in subject and heading of every type for the sample data in DKK on NOW. */
const expected: Record<EmailType, Record<'en' | 'da', { subject: string; heading: string }>> = {
  tier_up: {
    en: { subject: 'Congratulations! You’re now Gold at Nordlys', heading: 'Welcome to Gold!' },
    da: { subject: 'Tillykke! Du er nu Gold-medlem hos Nordlys', heading: 'Velkommen som Gold-medlem!' },
  },
  tier_down_warning: {
    en: { subject: 'Keep your Gold status at Nordlys', heading: 'Your Gold status ends soon' },
    da: { subject: 'Behold din Gold-status hos Nordlys', heading: 'Din Gold-status udløber snart' },
  },
  tier_down: {
    en: { subject: 'Your membership level at Nordlys has changed', heading: 'You’re now a Silver member' },
    da: { subject: 'Dit medlemsniveau hos Nordlys er ændret', heading: 'Du er nu Silver-medlem' },
  },
  points_expiring: {
    en: { subject: 'Your points at Nordlys expire on 16 April 2025', heading: 'Don’t lose your 1,250 points' },
    da: { subject: 'Dine point hos Nordlys udløber den 16. april 2025', heading: 'Mist ikke dine 1.250 point' },
  },
  referral_reward_earned: {
    en: { subject: 'You’ve earned 500 points for referring a friend', heading: 'Thanks for spreading the word!' },
    da: { subject: 'Du har optjent 500 point for at anbefale en ven', heading: 'Tak fordi du anbefaler os!' },
  },
  friend_welcome: {
    en: { subject: 'Welcome to Nordlys – thanks to Anna', heading: 'Welcome to Nordlys!' },
    da: { subject: 'Velkommen til Nordlys – takket være Anna', heading: 'Velkommen til Nordlys!' },
  },
  winback_reminder: {
    en: { subject: 'We miss you at Nordlys', heading: 'It’s been a while!' },
    da: { subject: 'Vi savner dig hos Nordlys', heading: 'Det er længe siden!' },
  },
  winback_incentive: {
    en: { subject: 'A gift for you: DKK 75.00 off at Nordlys', heading: 'Here’s DKK 75.00 off your next order' },
    da: {
      subject: 'En gave til dig: 75,00 kr. rabat hos Nordlys',
      heading: 'Her er 75,00 kr. rabat på din næste ordre',
    },
  },
  membership_joined: {
    en: { subject: 'Welcome to VIP Club at Nordlys', heading: 'You’re now a VIP Club member' },
    da: { subject: 'Velkommen i VIP Club hos Nordlys', heading: 'Du er nu medlem af VIP Club' },
  },
  membership_renewal_due: {
    en: { subject: 'Your VIP Club membership at Nordlys is due for renewal', heading: 'Keep your VIP Club perks' },
    da: { subject: 'Dit medlemskab af VIP Club hos Nordlys skal fornyes', heading: 'Behold dine fordele i VIP Club' },
  },
  membership_lapsed: {
    en: { subject: 'Your VIP Club membership at Nordlys has ended', heading: 'We miss you in VIP Club' },
    da: { subject: 'Dit medlemskab af VIP Club hos Nordlys er udløbet', heading: 'Vi savner dig i VIP Club' },
  },
  survey_request: {
    en: { subject: 'How was your order from Nordlys?', heading: 'Tell us how we did' },
    da: { subject: 'Hvordan gik din ordre hos Nordlys?', heading: 'Fortæl os, hvordan vi klarede os' },
  },
};

const footerLine = {
  en: {
    reason: 'You get this e-mail because you are a member of the Nordlys rewards program.',
    unsubscribe: 'Unsubscribe from these e-mails',
  },
  da: {
    reason: 'Du får denne e-mail, fordi du er medlem af kundeklubben hos Nordlys.',
    unsubscribe: 'Afmeld disse e-mails',
  },
};

describe('renderEmail: every type in every locale', () => {
  for (const type of emailTypes) {
    for (const locale of emailLocales) {
      it(`${type} in ${locale}`, () => {
        const mail = renderEmail(
          type,
          locale,
          sampleEmailData(type, 'DKK', NOW),
          ctx({ settings: { branding: { footer: 'Nordlys ApS · Nørregade 1 · 1165 København K' } } }),
        );
        const want = expected[type][locale];
        expect(mail.locale).toBe(locale);
        expect(mail.subject).toBe(want.subject);

        expect(mail.html).toMatch(/^<!DOCTYPE html>/);
        expect(mail.html).toContain(`<html lang="${locale}">`);
        expect(mail.html).toContain(`>${esc(want.heading)}</h1>`);
        expect(mail.html).toContain(`<title>${esc(want.subject)}</title>`);
        expect(mail.html).toContain(`href="${esc(UNSUBSCRIBE)}"`);
        expect(mail.html).toContain(`>${footerLine[locale].unsubscribe}</a>`);
        expect(mail.html).toContain(esc(footerLine[locale].reason));
        expect(mail.html).toContain('Nordlys ApS · Nørregade 1 · 1165 København K');
        expect(mail.html).toContain('href="https://nordlys.example"');
        expect(mail.html).toContain('background-color:#1f6f5c');
        expect(mail.html).not.toMatch(/<script|<link|<style|<img/i);

        expect(mail.text).not.toMatch(TAG);
        expect(mail.text.startsWith(`${want.heading}\n\n${locale === 'da' ? 'Hej Mette,' : 'Hi Mette,'}\n\n`)).toBe(
          true,
        );
        expect(mail.text).toContain(`${footerLine[locale].unsubscribe}: ${UNSUBSCRIBE}`);
        expect(mail.text).toContain(footerLine[locale].reason);
        expect(mail.text).toMatch(/: https:\/\/nordlys\.example\n/);
        expect(mail.text).not.toContain('{{');
      });
    }

    it(`${type}: the Danish e-mail is not the English one`, () => {
      const data = sampleEmailData(type, 'DKK', NOW);
      const en = renderEmail(type, 'en', data, ctx());
      const da = renderEmail(type, 'da', data, ctx());
      expect(da.subject).not.toBe(en.subject);
      expect(da.text).toMatch(/\b(du|dig|din|dine|dit|hos|point)\b/);
      expect(en.text).not.toMatch(/\b(du|dig|hos)\b/);
    });
  }
});

describe('content', () => {
  it('tier_up shows the perks and the extra points, and leaves an empty perks block out', () => {
    const en = renderEmail('tier_up', 'en', sampleEmailData('tier_up', 'DKK', NOW), ctx());
    expect(en.text).toContain('From now on you earn 50% more points on every order.');
    expect(en.text).toContain('Your perks as a Gold member:\nFree shipping on every order\nEarly access to sales');
    expect(en.html).toContain('Free shipping on every order<br>\nEarly access to sales');

    const plain = renderEmail(
      'tier_up',
      'da',
      { tierName: 'Guld', previousTierName: 'Sølv', perks: '  ', multiplierPercent: 100 },
      ctx(),
    );
    expect(plain.text).not.toContain('fordele');
    expect(plain.text).not.toContain('flere point');
    expect(plain.text).toContain('Du er rykket op fra Sølv til Guld.');
  });

  it('tier_down shows the new tier’s perks', () => {
    const da = renderEmail('tier_down', 'da', sampleEmailData('tier_down', 'DKK', NOW), ctx());
    expect(da.text).toContain('Dine fordele som Silver-medlem:\nEarly access to sales');
  });

  it('membership e-mails name the plan, its paid period, perks and extra points', () => {
    const joined = renderEmail('membership_joined', 'en', sampleEmailData('membership_joined', 'DKK', NOW), ctx());
    expect(joined.text).toContain('Your membership is paid through 16 April 2025.');
    expect(joined.text).toContain('you earn 100% more points on every order');
    expect(joined.text).toContain('Your VIP Club perks:\nFree shipping on every order\nEarly access to sales');
    const flat = renderEmail(
      'membership_joined',
      'da',
      { planName: 'VIP', perks: '', multiplierPercent: 100, paidThrough: '2025-05-01T10:00:00Z' },
      ctx(),
    );
    expect(flat.text).toContain('Dit medlemskab er betalt til og med 1. maj 2025.');
    expect(flat.text).not.toContain('flere point');
    expect(flat.text).not.toContain('Dine fordele');
    const due = renderEmail(
      'membership_renewal_due',
      'da',
      sampleEmailData('membership_renewal_due', 'DKK', NOW),
      ctx(),
    );
    expect(due.text).toContain('er betalt til og med 24. marts 2025');
    const lapsed = renderEmail('membership_lapsed', 'en', sampleEmailData('membership_lapsed', 'DKK', NOW), ctx());
    expect(lapsed.text).toContain('was paid through 14 March 2025 and has not been renewed');
  });

  it('tier_down_warning words what is left by what the tier qualifies on', () => {
    const base = {
      tierName: 'Guld',
      nextTierName: 'Sølv',
      downgradeAt: '2025-05-01T10:00:00Z',
      currency: 'DKK',
    } as const;
    const spend = renderEmail('tier_down_warning', 'da', { ...base, qualifyOn: 'spend', toKeep: 50000 }, ctx());
    expect(spend.text).toContain('For at beholde Guld skal du handle for 500,00 kr. mere inden da.');
    expect(spend.text).toContain('rykker du fra Guld ned til Sølv den 1. maj 2025');
    const points = renderEmail('tier_down_warning', 'en', { ...base, qualifyOn: 'points', toKeep: 1200 }, ctx());
    expect(points.text).toContain('To keep Guld, earn another 1,200 points before then.');
    const oneOrder = renderEmail('tier_down_warning', 'en', { ...base, qualifyOn: 'orders', toKeep: 1 }, ctx());
    expect(oneOrder.text).toContain('place another 1 order before then');
    const orders = renderEmail('tier_down_warning', 'da', { ...base, qualifyOn: 'orders', toKeep: 2 }, ctx());
    expect(orders.text).toContain('skal du handle 2 gange mere inden da');
  });

  it('referral_reward_earned reads well without a friend name or a confirmation date', () => {
    const en = renderEmail('referral_reward_earned', 'en', { points: 1 }, ctx());
    expect(en.subject).toBe('You’ve earned 1 point for referring a friend');
    expect(en.text).toContain(
      'A friend you referred just shopped at Nordlys for the first time, so you’ve earned 1 point.\n',
    );
    const da = renderEmail('referral_reward_earned', 'da', { points: 2500 }, ctx());
    expect(da.text).toContain(
      'En ven, du har anbefalet, har lige handlet hos Nordlys for første gang, så du har optjent 2.500 point.\n',
    );
  });

  it("friend_welcome thanks for the first order, offers the friend's own code to share when there is one, and never links to a non-web URL", () => {
    const data: EmailData<'friend_welcome'> = {
      discountPercent: 15,
      referralCode: 'METTE4KQ',
      referralUrl: 'https://go.example/r/METTE4KQ',
    };
    const withLink = renderEmail('friend_welcome', 'da', data, ctx());
    expect(withLink.subject).toBe('Velkommen i kundeklubben hos Nordlys');
    expect(withLink.html).toContain('href="https://go.example/r/METTE4KQ"');
    expect(withLink.text).toContain('Gå til butikken: https://go.example/r/METTE4KQ');
    expect(withLink.text).toContain('Din kode til at dele: METTE4KQ');
    expect(withLink.text).toContain('Tak for din første ordre via en vens anbefaling. Du fik 15 % rabat');

    const plain = renderEmail('friend_welcome', 'en', { discountPercent: 10 }, ctx());
    expect(plain.text).toContain('invite your friends');
    expect(plain.text).not.toContain('code');

    const hostile = renderEmail('friend_welcome', 'en', { ...data, referralUrl: 'javascript:alert(1)' }, ctx());
    expect(hostile.html).not.toContain('javascript:');
    expect(hostile.text).toContain('Visit the shop: https://nordlys.example');
  });

  it('winback_reminder leaves out the points line when there are none', () => {
    const mail = renderEmail('winback_reminder', 'en', { pointsBalance: 0 }, ctx());
    expect(mail.text).not.toContain('points');
    expect(mail.text).toContain('we’d love to see you again.');
  });

  it('winback_incentive shows the code in the text, the code box and the button of both parts', () => {
    for (const locale of emailLocales) {
      const mail = renderEmail(
        'winback_incentive',
        locale,
        { code: 'BACK-9QX2', rewardName: '50 kr. rabat', valueMinor: 5000, currency: 'DKK', pointsBalance: 0 },
        ctx(),
      );
      const label = locale === 'da' ? 'Brug koden BACK-9QX2' : 'Use code BACK-9QX2';
      expect(mail.html).toMatch(/monospace;[^"]*">BACK-9QX2<\/p>/);
      expect(mail.html).toContain(`>${label}</a>`);
      expect(mail.text).toContain(
        `${locale === 'da' ? 'Din rabatkode' : 'Your discount code'}: BACK-9QX2\n(50 kr. rabat)`,
      );
      expect(mail.text).toContain(`${label}: https://nordlys.example`);
      expect(mail.text).toContain(
        locale === 'da' ? 'Brug koden BACK-9QX2, når du betaler.' : 'Use the code BACK-9QX2 at checkout.',
      );
    }
  });

  it('a missing first name gives a neutral greeting', () => {
    const en = renderEmail('winback_reminder', 'en', { pointsBalance: 10 }, ctx({ firstName: null }));
    const da = renderEmail('winback_reminder', 'da', { pointsBalance: 10 }, ctx({ firstName: '  ' }));
    expect(en.text).toContain('\n\nHi,\n\n');
    expect(da.text).toContain('\n\nHej,\n\n');
    expect(da.html).toContain('>Hej,</p>');
  });
});

describe("the customer's loyalty page", () => {
  const PAGE = 'https://api.example.test/p/nordlys?token=abc.def';
  const withPage = (settings?: unknown): RenderContext => ({ ...ctx({ settings }), loyaltyPageUrl: PAGE });
  const labels: Record<(typeof loyaltyPageEmailTypes)[number], Record<'en' | 'da', string>> = {
    tier_up: { en: 'See my membership', da: 'Se mit medlemskab' },
    tier_down_warning: { en: 'See my status', da: 'Se min status' },
    tier_down: { en: 'See my points', da: 'Se mine point' },
    points_expiring: { en: 'Use my points', da: 'Brug mine point' },
    referral_reward_earned: { en: 'See my points', da: 'Se mine point' },
    membership_joined: { en: 'See my membership', da: 'Se mit medlemskab' },
  };

  it('is the button of the e-mails about points and tier, in both parts', () => {
    expect([...loyaltyPageEmailTypes].sort()).toEqual(Object.keys(labels).sort());
    for (const type of loyaltyPageEmailTypes)
      for (const locale of emailLocales) {
        const mail = renderEmail(type, locale, sampleEmailData(type, 'DKK', NOW), withPage());
        expect(mail.html).toContain(`href="${esc(PAGE)}"`);
        expect(mail.html).toContain(`>${labels[type][locale]}</a>`);
        expect(mail.html).not.toContain('href="https://nordlys.example"');
        expect(mail.text).toContain(`${labels[type][locale]}: ${PAGE}`);
      }
  });

  it('is not the button of the e-mails whose button is a referral link or the shop', () => {
    const others = emailTypes.filter((t) => !(loyaltyPageEmailTypes as readonly EmailType[]).includes(t));
    expect(others).toEqual([
      'friend_welcome',
      'winback_reminder',
      'winback_incentive',
      'membership_renewal_due',
      'membership_lapsed',
      'survey_request',
    ]);
    for (const type of others) {
      const mail = renderEmail(type, 'en', sampleEmailData(type, 'DKK', NOW), withPage());
      expect(mail.html).not.toContain(esc(PAGE));
      expect(mail.text).not.toContain(PAGE);
    }
    const welcome = renderEmail(
      'friend_welcome',
      'en',
      { discountPercent: 10, referralUrl: 'https://go.example/r/X' },
      withPage(),
    );
    expect(welcome.text).toContain('Visit the shop: https://go.example/r/X');
  });

  it("is not the survey's button either: that is the survey link the sender signs", () => {
    const surveyUrl = 'https://api.example/survey/nordlys?token=abc.def';
    const data = { ...sampleEmailData('survey_request', 'DKK', NOW), surveyUrl };
    for (const locale of emailLocales) {
      const mail = renderEmail('survey_request', locale, data, withPage());
      expect(mail.html).toContain(`href="${esc(surveyUrl)}"`);
      expect(mail.text).toContain(surveyUrl);
      expect(mail.html).not.toContain(esc(PAGE));
    }
  });

  it('without one (previews, test sends) the button goes to the storefront', () => {
    for (const type of loyaltyPageEmailTypes) {
      const mail = renderEmail(type, 'en', sampleEmailData(type, 'DKK', NOW), ctx());
      expect(mail.html).toContain('href="https://nordlys.example"');
    }
  });

  it('is {{loyaltyPageUrl}} in overrides of every type, escaped in html', () => {
    const body = 'See everything at {{loyaltyPageUrl}}';
    for (const type of emailTypes) {
      expect(placeholdersFor(type)).toContain('loyaltyPageUrl');
      const overrides = { [type]: { en: { body } } };
      const mail = renderEmail(type, 'en', sampleEmailData(type, 'DKK', NOW), withPage({ overrides }));
      expect(mail.text).toContain(`See everything at ${PAGE}`);
      expect(mail.html).toContain(`See everything at ${esc(PAGE)}`);
      const preview = renderEmail(type, 'en', sampleEmailData(type, 'DKK', NOW), ctx({ settings: { overrides } }));
      expect(preview.text).toContain('See everything at https://nordlys.example');
    }
  });
});

describe('formatting', () => {
  it('keeps an amount and its currency on one line', () => {
    const mail = renderRaw(
      'winback_incentive',
      'da',
      { code: 'X1', rewardName: 'r', valueMinor: 50000, currency: 'DKK', pointsBalance: 0 },
      ctx(),
    );
    expect(mail.subject).toContain('500,00\u00a0kr.');
  });

  it('money comes from minor units in the e-mail locale', () => {
    const data = (valueMinor: number, currency: string): EmailData<'winback_incentive'> => ({
      code: 'X1',
      rewardName: 'r',
      valueMinor,
      currency,
      pointsBalance: 0,
    });
    expect(renderEmail('winback_incentive', 'da', data(50000, 'DKK'), ctx()).subject).toContain('500,00 kr. rabat');
    expect(renderEmail('winback_incentive', 'en', data(50000, 'DKK'), ctx()).subject).toContain('DKK 500.00 off');
    expect(renderEmail('winback_incentive', 'da', data(1234567, 'DKK'), ctx()).subject).toContain('12.345,67 kr.');
    expect(renderEmail('winback_incentive', 'en', data(1500, 'JPY'), ctx()).subject).toContain('JP¥1,500 off');
    expect(renderEmail('winback_incentive', 'da', data(1500, 'JPY'), ctx()).subject).toContain('1.500 JP¥');
    expect(renderEmail('winback_incentive', 'en', data(1500, 'KWD'), ctx()).subject).toContain('KWD 1.500 off');
    expect(renderEmail('winback_incentive', 'en', data(7, 'EUR'), ctx()).subject).toContain('€0.07 off');
  });

  it('sample amounts are realistic in the currency’s minor units', () => {
    expect(sampleEmailData('winback_incentive', 'DKK', NOW).valueMinor).toBe(7500);
    expect(sampleEmailData('winback_incentive', 'JPY', NOW).valueMinor).toBe(1500);
    expect(sampleEmailData('winback_incentive', 'EUR', NOW).valueMinor).toBe(1000);
    expect(sampleEmailData('winback_incentive', 'KWD', NOW)).toMatchObject({ valueMinor: 10000, currency: 'KWD' });
    expect(sampleEmailData('tier_down_warning', 'JPY', NOW)).toMatchObject({
      toKeep: 12000,
      currency: 'JPY',
      qualifyOn: 'spend',
    });
    const jpy = renderEmail(
      'winback_incentive',
      'da',
      sampleEmailData('winback_incentive', 'JPY', NOW),
      ctx({ shop: { currency: 'JPY' } }),
    );
    expect(jpy.subject).toBe('En gave til dig: 1.500 JP¥ rabat hos Nordlys');
  });

  it('sample dates are relative to now', () => {
    expect(sampleEmailData('points_expiring', 'DKK', NOW).expiresAt).toBe('2025-04-16T10:00:00.000Z');
    expect(sampleEmailData('winback_reminder', 'DKK', NOW).lastOrderAt).toBe('2024-11-17T10:00:00.000Z');
  });

  it('dates are the shop’s calendar day, in the e-mail locale', () => {
    const late = { points: 10, expiresAt: '2025-03-31T22:30:00Z' };
    expect(renderEmail('points_expiring', 'da', late, ctx()).text).toContain('udløber den 1. april 2025');
    expect(renderEmail('points_expiring', 'en', late, ctx()).text).toContain('expire on 1 April 2025');
    expect(renderEmail('points_expiring', 'en', late, ctx({ shop: { timezone: 'America/New_York' } })).text).toContain(
      'expire on 31 March 2025',
    );
    expect(renderEmail('points_expiring', 'da', late, ctx({ shop: { timezone: 'UTC' } })).text).toContain(
      'den 31. marts 2025',
    );
  });

  it('points are locale-formatted integers', () => {
    expect(
      renderEmail('points_expiring', 'da', { points: 1234567, expiresAt: '2025-05-01T00:00:00Z' }, ctx()).text,
    ).toContain('Du har 1.234.567 point');
    expect(
      renderEmail('points_expiring', 'en', { points: 1234567, expiresAt: '2025-05-01T00:00:00Z' }, ctx()).text,
    ).toContain('You have 1,234,567 points');
  });

  it('an unreadable date is an error, not "Invalid Date" in a customer’s inbox', () => {
    expect(() => renderEmail('points_expiring', 'en', { points: 1, expiresAt: 'soon' }, ctx())).toThrow(RangeError);
  });
});

describe('escaping', () => {
  const evil = '<script>alert(1)</script>';
  it('shop name, first name, branding footer, perks and overrides are never raw HTML', () => {
    const c = ctx({
      shop: { name: `Bad & ${evil}` },
      firstName: '<img src=x onerror=alert(1)>',
      settings: {
        branding: { footer: `Street 1 ${evil}` },
        overrides: {
          tier_up: { en: { heading: `Big ${evil}`, body: `Hi {{firstName}} ${evil}`, cta: `"><script>x</script>` } },
        },
      },
    });
    for (const type of emailTypes) {
      const data =
        type === 'tier_up'
          ? { ...sampleEmailData('tier_up', 'DKK', NOW), perks: evil }
          : sampleEmailData(type, 'DKK', NOW);
      for (const locale of emailLocales) {
        const { html, text, subject } = renderEmail(type, locale, data, c);
        expect(html).not.toMatch(/<script|<img/i);
        expect(html).toContain('Bad &amp; &lt;script&gt;alert(1)&lt;/script&gt;');
        expect(html).toContain('Street 1 &lt;script&gt;');
        // The text part is not HTML: there the names stay as typed.
        expect(text).toContain(`Bad & ${evil}`);
        expect(subject).not.toContain('\n');
      }
    }
    const { html } = renderEmail('tier_up', 'en', sampleEmailData('tier_up', 'DKK', NOW), c);
    expect(html).toContain('>Big &lt;script&gt;alert(1)&lt;/script&gt;</h1>');
    expect(html).toContain('Hi &lt;img src=x onerror=alert(1)&gt; &lt;script&gt;');
    expect(html).toContain('>&quot;&gt;&lt;script&gt;x&lt;/script&gt;</a>');
  });

  it('the primary colour and logo come from branding; a bad colour never reaches a style', () => {
    const branded = renderEmail(
      'tier_up',
      'en',
      sampleEmailData('tier_up', 'DKK', NOW),
      ctx({ settings: { branding: { primaryColor: '#ffd700', logoUrl: 'https://cdn.example/logo.png' } } }),
    );
    expect(branded.html).toContain('<img src="https://cdn.example/logo.png" alt="Nordlys"');
    expect(branded.html).toContain('color:#ffd700;');
    // A light button gets dark text.
    expect(branded.html).toMatch(/background-color:#ffd700;">\n<a [^>]*color:#111111;/);

    const settings = {
      ...emailSettingsSchema.parse({}),
      branding: { primaryColor: 'red;background:url(x)', footer: '' },
    };
    const bad = renderEmail('tier_up', 'en', sampleEmailData('tier_up', 'DKK', NOW), { ...ctx(), settings });
    expect(bad.html).not.toContain('url(x)');
    expect(bad.html).toContain('background-color:#1f6f5c');
  });
});

describe('overrides', () => {
  const overrides = {
    tier_up: {
      da: {
        subject: 'Hej {{firstName}}: {{ tierName }} er din nu',
        heading: '{{shopName}} siger tillykke',
        body: 'Kære {{firstName}},\n\nDu er gået fra {{previousTierName}} til {{tierName}} ({{multiplierPercent}}).\nSes snart!\n\nHilsen {{tierNmae}}',
        cta: 'Til {{shopName}}',
      },
    },
  };

  it('apply in their locale only, with placeholders formatted and unknown ones kept', () => {
    const c = ctx({ settings: { overrides } });
    const data = sampleEmailData('tier_up', 'DKK', NOW);
    const da = renderEmail('tier_up', 'da', data, c);
    expect(da.subject).toBe('Hej Mette: Gold er din nu');
    expect(da.text).toContain(
      'Nordlys siger tillykke\n\nKære Mette,\n\nDu er gået fra Silver til Gold (150 %).\nSes snart!\n\nHilsen {{tierNmae}}\n\n',
    );
    expect(da.text).not.toContain('Hej Mette,');
    expect(da.text).toContain('Til Nordlys: https://nordlys.example');
    expect(da.html).toContain('>Nordlys siger tillykke</h1>');
    expect(da.html).toContain('(150 %).<br>\nSes snart!</p>');
    expect(da.html).toContain('>Hilsen {{tierNmae}}</p>');
    // Perks are the shop's program data, not part of the overridable copy.
    expect(da.text).toContain('Dine fordele som Gold-medlem:');

    const en = renderEmail('tier_up', 'en', data, c);
    expect(en.subject).toBe(expected.tier_up.en.subject);
    expect(en.text).toContain('Hi Mette,');
    const other = renderEmail('tier_down', 'da', sampleEmailData('tier_down', 'DKK', NOW), c);
    expect(other.subject).toBe(expected.tier_down.da.subject);
  });

  it('an absent value takes its leading space with it when the clause ends there', () => {
    const c = ctx({ firstName: null, settings: { overrides } });
    const da = renderEmail('tier_up', 'da', sampleEmailData('tier_up', 'DKK', NOW), c);
    expect(da.subject).toBe('Hej: Gold er din nu');
    expect(da.text).toContain('\n\nKære,\n\n');
    const friend = ctx({
      settings: {
        overrides: {
          referral_reward_earned: { en: { body: 'Your friend {{friendFirstName}} ordered. Thanks {{firstName}}!' } },
        },
      },
    });
    expect(renderEmail('referral_reward_earned', 'en', { points: 5 }, friend).text).toContain(
      '\n\nYour friend ordered. Thanks Mette!\n\n',
    );
  });

  it('a subject stays one header line', () => {
    const c = ctx({
      settings: { overrides: { points_expiring: { en: { subject: 'Points\r\nBcc: all@example.com  {{points}}' } } } },
    });
    expect(renderEmail('points_expiring', 'en', { points: 5, expiresAt: '2025-05-01T00:00:00Z' }, c).subject).toBe(
      'Points Bcc: all@example.com 5',
    );
  });

  it('every placeholder listed for a type is filled', () => {
    for (const type of emailTypes) {
      const names = placeholdersFor(type);
      expect(names.slice(0, 2)).toEqual(['firstName', 'shopName']);
      expect(names).toEqual(expect.arrayContaining(Object.keys(sampleEmailData(type, 'DKK', NOW))));
      const body = names.map((n) => `${n}=[{{${n}}}]`).join('\n');
      const mail = renderEmail(
        type,
        'da',
        sampleEmailData(type, 'DKK', NOW),
        ctx({ settings: { overrides: { [type]: { da: { body } } } } }),
      );
      expect(mail.text).not.toContain('{{');
      expect(mail.text).toContain('firstName=[Mette]');
      expect(mail.text).toContain('shopName=[Nordlys]');
    }
  });

  it('placeholders are formatted like the built-in copy', () => {
    const body = '{{toKeep}} | {{downgradeAt}} | {{qualifyOn}} | {{currency}}';
    const c = ctx({ settings: { overrides: { tier_down_warning: { da: { body }, en: { body } } } } });
    const data = {
      ...sampleEmailData('tier_down_warning', 'DKK', NOW),
      downgradeAt: '2025-03-31T22:30:00Z',
      toKeep: 60000,
    };
    expect(renderEmail('tier_down_warning', 'da', data, c).text).toContain('600,00 kr. | 1. april 2025 | køb | DKK');
    expect(renderEmail('tier_down_warning', 'en', data, c).text).toContain('DKK 600.00 | 1 April 2025 | spend | DKK');
    expect(renderEmail('tier_down_warning', 'en', { ...data, qualifyOn: 'orders', toKeep: 3 }, c).text).toContain(
      '3 orders | 1 April 2025 | orders',
    );
    const inc = ctx({
      settings: {
        overrides: { winback_incentive: { da: { body: '{{valueMinor}} med {{code}} ({{pointsBalance}} point)' } } },
      },
    });
    expect(
      renderEmail(
        'winback_incentive',
        'da',
        { code: 'C0DE', rewardName: 'x', valueMinor: 12345, currency: 'DKK', pointsBalance: 4200 },
        inc,
      ).text,
    ).toContain('123,45 kr. med C0DE (4.200 point)');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['da-DK', undefined, 'da'],
    ['DA', undefined, 'da'],
    ['da_DK', 'en-US', 'da'],
    ['en-US', 'da-DK', 'en'],
    ['de-DE', 'da-DK', 'da'],
    ['de-DE', 'fr-FR', 'en'],
    [undefined, 'da-DK', 'da'],
    ['', ' da ', 'da'],
    [undefined, undefined, 'en'],
  ] as const)('%s / %s → %s', (customer, shop, want) => {
    expect(resolveLocale(customer, shop)).toBe(want);
  });
});
