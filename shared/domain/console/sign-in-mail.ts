import { escapeHtml } from '../emails/layout';

type Lang = 'en' | 'da';

const copy = {
  en: {
    subject: (shop?: string) => (shop ? `Sign in to ${shop}'s loyalty console` : 'Sign in to your loyalty console'),
    intro: 'Use this link to sign in. It works once, for 15 minutes.',
    button: 'Sign in',
    ignore: 'If you did not ask to sign in, ignore this e-mail: nothing happens without the link.',
  },
  da: {
    subject: (shop?: string) => (shop ? `Log ind på ${shop}s loyalitetskonsol` : 'Log ind på din loyalitetskonsol'),
    intro: 'Brug dette link til at logge ind. Det virker én gang, i 15 minutter.',
    button: 'Log ind',
    ignore: 'Hvis du ikke har bedt om at logge ind, så se bort fra denne e-mail: intet sker uden linket.',
  },
} satisfies Record<Lang, unknown>;

/** The magic-link e-mail; `shop` names the shop when the address belongs to exactly one. */
export const signInMessage = (lang: Lang, link: string, shop?: string) => {
  const c = copy[lang];
  const href = escapeHtml(link);
  return {
    subject: c.subject(shop),
    text: `${c.intro}\n\n${link}\n\n${c.ignore}\n`,
    html:
      `<!doctype html><html lang="${lang}"><body style="font-family:system-ui,sans-serif;line-height:1.5">` +
      `<p>${escapeHtml(c.intro)}</p>` +
      `<p><a href="${href}" style="display:inline-block;padding:10px 18px;background:#1f6f5c;color:#fff;` +
      `text-decoration:none;border-radius:6px">${escapeHtml(c.button)}</a></p>` +
      `<p style="font-size:13px;color:#444">${href}</p><p style="font-size:13px;color:#444">${escapeHtml(c.ignore)}</p>` +
      `</body></html>`,
  };
};
