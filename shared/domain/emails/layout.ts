import type { EmailLocale } from './locales';

/**
 * The one e-mail layout, as HTML and as plain text. Everything it receives is plain text and
 * is escaped here, in one place: shop names, customer names, overrides and footers are not
 * trusted to be HTML. The HTML is the conservative kind mail clients render alike: nested
 * 600px tables, inline styles, no external CSS, no script.
 */
export interface EmailContent {
  lang: EmailLocale;
  subject: string;
  heading: string;
  paragraphs: readonly string[];
  perks?: { label: string; text: string };
  code?: { label: string; code: string; caption?: string };
  cta: { label: string; url: string };
  branding: { logoUrl?: string; primaryColor: string };
  footer: { shopName: string; note: string; reason: string; unsubscribeLabel: string; unsubscribeUrl: string };
}

const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => entities[c]!);

/** Escaped, with the author's line breaks kept. */
const lines = (value: string): string => escapeHtml(value).replace(/\r?\n/g, '<br>\n');

/** White or near-black button text, whichever reads better on the shop's colour. */
const textOn = (hex: string): string => {
  const n = Number.parseInt(hex.slice(1), 16);
  const yiq = (((n >> 16) & 255) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000;
  return yiq >= 160 ? '#111111' : '#ffffff';
};

const font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
const para = `margin:0 0 16px 0;${font}font-size:16px;line-height:24px;color:#333333;`;

const button = (
  label: string,
  url: string,
  color: string,
): string => `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 8px 0;">
<tr><td align="center" bgcolor="${color}" style="border-radius:6px;background-color:${color};">
<a href="${escapeHtml(url)}" target="_blank" style="display:inline-block;padding:14px 28px;${font}font-size:16px;font-weight:bold;line-height:20px;color:${textOn(color)};text-decoration:none;border-radius:6px;">${escapeHtml(label)}</a>
</td></tr>
</table>`;

const codeBox = (
  code: NonNullable<EmailContent['code']>,
  color: string,
): string => `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;">
<tr><td align="center" style="padding:20px;border:2px dashed ${color};border-radius:8px;background-color:#fafafa;">
<p style="margin:0 0 8px 0;${font}font-size:14px;line-height:20px;color:#555555;">${escapeHtml(code.label)}</p>
<p style="margin:0;font-family:'Courier New',Courier,monospace;font-size:28px;line-height:36px;font-weight:bold;letter-spacing:2px;color:#111111;">${escapeHtml(code.code)}</p>
${code.caption ? `<p style="margin:8px 0 0 0;${font}font-size:14px;line-height:20px;color:#555555;">${escapeHtml(code.caption)}</p>` : ''}
</td></tr>
</table>`;

const perksBox = (
  perks: NonNullable<EmailContent['perks']>,
  color: string,
): string => `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px 0;">
<tr><td style="padding:16px 20px;border-left:4px solid ${color};background-color:#f6f7f8;">
<p style="margin:0 0 8px 0;${font}font-size:16px;line-height:24px;font-weight:bold;color:#111111;">${escapeHtml(perks.label)}</p>
<p style="margin:0;${font}font-size:16px;line-height:24px;color:#333333;">${lines(perks.text)}</p>
</td></tr>
</table>`;

const defaultColor = '#1f6f5c';

export const renderHtml = (c: EmailContent): string => {
  // The colour lands inside style attributes, so only a strict #rrggbb is let through.
  const color = /^#[0-9a-fA-F]{6}$/.test(c.branding.primaryColor) ? c.branding.primaryColor : defaultColor;
  const small = `margin:0 0 8px 0;${font}font-size:12px;line-height:18px;color:#666666;`;
  const logo = c.branding.logoUrl
    ? `<tr><td align="center" style="padding:32px 32px 0 32px;"><img src="${escapeHtml(c.branding.logoUrl)}" alt="${escapeHtml(c.footer.shopName)}" width="160" style="display:block;width:160px;max-width:100%;height:auto;border:0;"></td></tr>`
    : '';
  const body = [
    `<h1 style="margin:0 0 24px 0;${font}font-size:26px;line-height:34px;font-weight:bold;color:${color};">${escapeHtml(c.heading)}</h1>`,
    ...c.paragraphs.map((p) => `<p style="${para}">${lines(p)}</p>`),
    c.perks ? perksBox(c.perks, color) : '',
    c.code ? codeBox(c.code, color) : '',
    button(c.cta.label, c.cta.url, color),
  ];
  const footer = [
    `<p style="${small}font-weight:bold;">${escapeHtml(c.footer.shopName)}</p>`,
    c.footer.note ? `<p style="${small}">${lines(c.footer.note)}</p>` : '',
    `<p style="${small}">${escapeHtml(c.footer.reason)}</p>`,
    `<p style="${small}"><a href="${escapeHtml(c.footer.unsubscribeUrl)}" target="_blank" style="color:#555555;text-decoration:underline;">${escapeHtml(c.footer.unsubscribeLabel)}</a></p>`,
  ];
  const rows = [
    logo,
    `<tr><td style="padding:32px 32px 16px 32px;">\n${body.filter((b) => b !== '').join('\n')}\n</td></tr>`,
    `<tr><td style="padding:24px 32px 32px 32px;border-top:1px solid #e5e7eb;">\n${footer.filter((b) => b !== '').join('\n')}\n</td></tr>`,
  ];
  return `<!DOCTYPE html>
<html lang="${c.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>${escapeHtml(c.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f2f3f5;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f2f3f5;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background-color:#ffffff;border-radius:8px;">
${rows.filter((r) => r !== '').join('\n')}
</table>
</td></tr>
</table>
</body>
</html>
`;
};

/** The same content for clients that show text only: URLs written out, nothing to escape. */
export const renderText = (c: EmailContent): string => {
  const blocks: string[] = [c.heading, ...c.paragraphs];
  if (c.perks) blocks.push(`${c.perks.label}:\n${c.perks.text}`);
  if (c.code) blocks.push(`${c.code.label}: ${c.code.code}${c.code.caption ? `\n(${c.code.caption})` : ''}`);
  blocks.push(`${c.cta.label}: ${c.cta.url}`);
  const footer = [
    c.footer.shopName,
    c.footer.note,
    c.footer.reason,
    `${c.footer.unsubscribeLabel}: ${c.footer.unsubscribeUrl}`,
  ].filter((l) => l !== '');
  blocks.push(`-- \n${footer.join('\n')}`);
  return `${blocks.join('\n\n')}\n`;
};
