import { CLICK_PARAM } from './attribution';
import { normalizeCode } from './codes';

/**
 * The pure parts of the public referral link `GET /r/{code}`: the code as it appears in the
 * path, the storefront URL the visitor is sent to, the cookies set on the way, and the two small
 * HTML pages (inactive link, too many requests). No I/O: the clicks service decides, these build.
 */

/** Cookie naming the code a visitor came through, on Boomerang's host (see referralCookie). */
export const referralCookieName = 'bmr_ref';
/** First-party, random visitor id: what "the same visitor" means for click de-duplication. */
export const visitorCookieName = 'bmr_vid';
/** One year, as the visitor cookie's Max-Age. */
export const visitorCookieMaxAgeSeconds = 365 * 24 * 60 * 60;

/**
 * The code as stored, from the raw `{code}` path segment: percent-decoded, then `normalizeCode`
 * (trimmed, upper-cased, `[A-Za-z0-9-]{3,24}`); undefined when it is not validly encoded or
 * cannot be a code. Case-insensitive, so `/r/anna7k2q` and `/r/ANNA7K2Q` are one link.
 */
export const normalizePathCode = (raw: string | undefined): string | undefined => {
  if (raw === undefined || raw.length > 200) return undefined;
  try {
    return normalizeCode(decodeURIComponent(raw));
  } catch {
    return undefined;
  }
};

/** `yyyy-mm-dd` in UTC: the sort key of the day's referral stats item. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

const decodeQueryName = (pair: string): string => {
  const name = pair.split('=', 1)[0]!.replaceAll('+', ' ');
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
};

/**
 * `url` with `params` in its query. Parameters already in the URL are kept byte-for-byte and
 * in order, except those with one of the names being added, which are replaced: every name in
 * `params` appears exactly once. The fragment is kept after the query.
 */
export const withQueryParams = (url: string, params: readonly (readonly [string, string])[]): string => {
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const beforeHash = hashAt === -1 ? url : url.slice(0, hashAt);
  const q = beforeHash.indexOf('?');
  // Through URL for a canonical origin and path (`https://shop.example` → `https://shop.example/`).
  const base = new URL(q === -1 ? beforeHash : beforeHash.slice(0, q)).href;
  const names = new Set(params.map(([k]) => k));
  const kept = (q === -1 ? '' : beforeHash.slice(q + 1))
    .split('&')
    .filter((p) => p !== '' && !names.has(decodeQueryName(p)));
  const added = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `${base}?${[...kept, ...added].join('&')}${fragment}`;
};

export interface RedirectTarget {
  storefrontUrl: string;
  code: string;
  /** The click's ULID; order attribution reads the click time from it. None for bots. */
  clickId?: string;
  utm: { source: string; medium: string; campaign: string };
}

/** The storefront URL with `ref`, `bmr_click` (when there is a click id) and the program's `utm_*` parameters. */
export const redirectLocation = (t: RedirectTarget): string =>
  withQueryParams(t.storefrontUrl, [
    ['ref', t.code],
    ...(t.clickId ? [[CLICK_PARAM, t.clickId] as const] : []),
    ['utm_source', t.utm.source],
    ['utm_medium', t.utm.medium],
    ['utm_campaign', t.utm.campaign],
  ]);

const cookieAttributes = (maxAgeSeconds: number) => `Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=Lax`;

/**
 * Remembers, on Boomerang's own host, which code a visitor came through (first-party to the
 * link, not to the shop: the storefront never sees it; attribution reaches the order through
 * the `ref`/`bmr_click` parameters in the landing URL). Lives as long as the attribution window.
 */
export const referralCookie = (code: string, attributionWindowDays: number): string =>
  `${referralCookieName}=${code}; ${cookieAttributes(attributionWindowDays * 86_400)}`;

export const visitorCookie = (visitorId: string): string =>
  `${visitorCookieName}=${visitorId}; ${cookieAttributes(visitorCookieMaxAgeSeconds)}`;

/** Visitor ids we issue are 22 base64url characters; anything else is treated as absent. */
export const isValidVisitorId = (value: string | undefined): value is string =>
  value !== undefined && /^[A-Za-z0-9_-]{16,64}$/.test(value);

/** A cookie's value from API Gateway v2's `cookies` (`["a=1", "b=2"]`); the first one wins. */
export const cookieValue = (cookies: readonly string[] | undefined, name: string): string | undefined => {
  for (const c of cookies ?? []) {
    const eq = c.indexOf('=');
    if (eq !== -1 && c.slice(0, eq).trim() === name) return c.slice(eq + 1).trim();
  }
  return undefined;
};

export type PageLanguage = 'en' | 'da';

/** English or Danish from Accept-Language, by the client's preference (q); English otherwise. */
export const pageLanguage = (acceptLanguage: string | undefined): PageLanguage => {
  if (!acceptLanguage) return 'en';
  const ranges = acceptLanguage
    .slice(0, 512)
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { primary: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) : 1, i };
    })
    .filter((r) => r.primary && Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.primary === 'da') return 'da';
    if (r.primary === 'en') return 'en';
  }
  return 'en';
};

const texts = {
  inactive: {
    en: {
      title: "This referral link isn't active",
      body: 'It may have expired or been switched off by the shop. You can still visit the shop directly.',
    },
    da: {
      title: 'Dette henvisningslink er ikke aktivt',
      body: 'Det kan være udløbet eller slået fra af butikken. Du kan stadig besøge butikken direkte.',
    },
  },
  rateLimited: {
    en: { title: 'Too many requests', body: 'Please wait a moment and open the link again.' },
    da: { title: 'For mange forespørgsler', body: 'Vent et øjeblik, og åbn linket igen.' },
  },
} as const;

/** A self-contained page: inline style, no scripts, no external assets. The texts are ours (no user input). */
const page = (lang: PageLanguage, t: { title: string; body: string }): string => `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${t.title}</title>
<style>body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f6f5f2;color:#1f1f1f;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}main{max-width:28rem;padding:2rem;text-align:center}h1{font-size:1.35rem;margin:0 0 .75rem}p{margin:0;line-height:1.5;color:#555}</style>
</head>
<body><main><h1>${t.title}</h1><p>${t.body}</p></main></body>
</html>
`;

export const inactiveLinkPage = (lang: PageLanguage): string => page(lang, texts.inactive[lang]);
export const rateLimitedPage = (lang: PageLanguage): string => page(lang, texts.rateLimited[lang]);
