import { escapeHtml } from '../emails/layout';
import { resolveLocale } from '../emails/locales';
import type { Role } from './roles';

export interface Invitation {
  shopName: string;
  /** The shop's locale: Danish shops invite in Danish, every other in English. */
  shopLocale: string;
  role: Role;
  /** `{publicBaseUrl}/console`. */
  consoleUrl: string;
  email: string;
}

const roleNames = {
  en: { owner: 'owner', marketer: 'marketer', support: 'support' },
  da: { owner: 'ejer', marketer: 'marketingansvarlig', support: 'kundeservice' },
} as const;

const copy = {
  en: (i: Invitation, role: string) => ({
    subject: `You have been invited to ${i.shopName}'s loyalty console`,
    lines: [
      `You have been added to ${i.shopName}'s loyalty console as ${role}.`,
      `Open the console and sign in with your e-mail address, ${i.email}: we send you a sign-in link, no password needed.`,
    ],
    cta: 'Open the console',
  }),
  da: (i: Invitation, role: string) => ({
    subject: `Du er inviteret til ${i.shopName}s loyalitetskonsol`,
    lines: [
      `Du er tilføjet til ${i.shopName}s loyalitetskonsol som ${role}.`,
      `Åbn konsollen og log ind med din e-mailadresse, ${i.email}: vi sender dig et login-link, du skal ikke bruge en adgangskode.`,
    ],
    cta: 'Åbn konsollen',
  }),
} as const;

/** The e-mail a new console user gets (plain text and simple HTML; everything escaped). */
export const invitationEmail = (i: Invitation): { subject: string; text: string; html: string } => {
  const lang = resolveLocale(undefined, i.shopLocale);
  const c = copy[lang](i, roleNames[lang][i.role]);
  const text = `${c.lines.join('\n\n')}\n\n${c.cta}: ${i.consoleUrl}\n`;
  const html =
    `<!doctype html><html lang="${lang}"><body style="font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif">` +
    c.lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
    `<p><a href="${escapeHtml(i.consoleUrl)}">${escapeHtml(c.cta)}</a></p></body></html>`;
  return { subject: c.subject, text, html };
};
