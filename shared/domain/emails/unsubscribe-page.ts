import { escapeHtml } from './layout';
import type { EmailLocale } from './locales';

/**
 * The pages behind the unsubscribe link. Opening the link only asks (mail scanners open links
 * too, and must not unsubscribe anyone); the button posts back, as does a mail client's
 * one-click unsubscribe (RFC 8058).
 */
const copy = {
  en: {
    title: 'Unsubscribe',
    askAll: (shop: string) => `Stop all e-mails from ${shop}'s rewards program?`,
    askMarketing: (shop: string) => `Stop offers and reminders from ${shop}?`,
    button: 'Unsubscribe',
    doneAll: (shop: string) => `You will no longer get e-mails from ${shop}'s rewards program.`,
    doneMarketing: (shop: string) => `You will no longer get offers and reminders from ${shop}.`,
    invalid: 'This unsubscribe link is not valid. Please use the link from the most recent e-mail.',
  },
  da: {
    title: 'Afmeld',
    askAll: (shop: string) => `Vil du afmelde alle e-mails fra kundeklubben hos ${shop}?`,
    askMarketing: (shop: string) => `Vil du afmelde tilbud og påmindelser fra ${shop}?`,
    button: 'Afmeld',
    doneAll: (shop: string) => `Du får ikke længere e-mails fra kundeklubben hos ${shop}.`,
    doneMarketing: (shop: string) => `Du får ikke længere tilbud og påmindelser fra ${shop}.`,
    invalid: 'Dette afmeldingslink er ikke gyldigt. Brug linket fra den seneste e-mail.',
  },
} as const;

const page = (lang: EmailLocale, body: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${copy[lang].title}</title></head>
<body style="font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5">
${body}
</body></html>`;

export const unsubscribeAskPage = (lang: EmailLocale, shopName: string, scope: 'all' | 'marketing'): string => {
  const c = copy[lang];
  const question = scope === 'all' ? c.askAll(shopName) : c.askMarketing(shopName);
  return page(
    lang,
    `<p>${escapeHtml(question)}</p>
<form method="post"><button type="submit" style="font-size:1rem;padding:.6rem 1.4rem;cursor:pointer">${c.button}</button></form>`,
  );
};

export const unsubscribedPage = (lang: EmailLocale, shopName: string, scope: 'all' | 'marketing'): string => {
  const c = copy[lang];
  return page(lang, `<p>${escapeHtml(scope === 'all' ? c.doneAll(shopName) : c.doneMarketing(shopName))}</p>`);
};

export const invalidUnsubscribePage = (lang: EmailLocale): string => page(lang, `<p>${copy[lang].invalid}</p>`);
