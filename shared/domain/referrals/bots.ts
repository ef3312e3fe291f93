/**
 * Is a referral-link click from a program rather than a person? Bot clicks are not counted
 * as clicks (and get no click id), so a link shared in Slack or WhatsApp does not show
 * "3 clicks" before anyone has opened it.
 *
 * Counted as bots:
 * - search engine crawlers (Googlebot, bingbot, Applebot, DuckDuckBot, Baiduspider, YandexBot…);
 * - link-preview fetchers of social and chat apps: facebookexternalhit, Twitterbot,
 *   Slackbot-LinkExpanding, LinkedInBot, WhatsApp, TelegramBot, Discordbot, Pinterestbot,
 *   redditbot, Skype and Quora previews, Embedly, Iframely, Mastodon, Bluesky (Cardyb), iMessage
 *   (which identifies as facebookexternalhit/Twitterbot);
 * - HTTP tools and libraries: curl, Wget, python-requests, Python-urllib, Go-http-client,
 *   node-fetch, axios, undici, okhttp, Java, libwww-perl, Scrapy, PostmanRuntime;
 * - headless and audit browsers: HeadlessChrome, PhantomJS, Lighthouse;
 * - anything saying bot, crawl(er), spider or preview.
 * - **A missing or blank User-Agent**: every browser sends one, so a click without it is a
 *   script; it is not counted.
 *
 * Deliberately not bots: the in-app browsers of those same apps (Facebook's FBAN/FBAV,
 * Instagram, Pinterest, LinkedInApp, the Yandex app, Slack and Discord desktop), which are people opening the link; and
 * Cubot phones, whose model name ("CUBOT P30") contains "bot".
 */

const KNOWN = [
  // Search engines and their helpers
  'googlebot',
  'adsbot-google',
  'mediapartners-google',
  'feedfetcher-google',
  'google-inspectiontool',
  'google web preview',
  'googleother',
  'bingbot',
  'bingpreview',
  'msnbot',
  'applebot',
  'duckduckbot',
  'baiduspider',
  'yandexbot',
  'slurp',
  'petalbot',
  'bytespider',
  // Link previews and social fetchers
  'facebookexternalhit',
  'facebookcatalog',
  'facebot',
  'meta-externalagent',
  'twitterbot',
  'slackbot',
  'slack-imgproxy',
  'linkedinbot',
  'whatsapp',
  'telegrambot',
  'discordbot',
  'pinterestbot',
  'redditbot',
  'skypeuripreview',
  'embedly',
  'iframely',
  'vkshare',
  'mastodon/',
  'cardyb',
  'snap url preview',
  // HTTP tools and libraries
  'curl',
  'wget',
  'python-requests',
  'python-urllib',
  'python-httpx',
  'aiohttp',
  'go-http-client',
  'node-fetch',
  'axios',
  'undici',
  'okhttp',
  'java/',
  'apache-httpclient',
  'libwww-perl',
  'httpie',
  'scrapy',
  'postmanruntime',
  'guzzlehttp',
  // Headless and automated browsers
  'headlesschrome',
  'phantomjs',
  'lighthouse',
  'puppeteer',
  'playwright',
  'selenium',
];

/** Generic words crawlers put in their names. */
const GENERIC = /bot|crawl|spider|preview/;

/** Browsers that match GENERIC by accident: their text is removed before it is tested. */
const FALSE_POSITIVES = /cubot/g;

/** True when the User-Agent is a crawler, link-preview fetcher or script — or missing. */
export const isBot = (userAgent?: string): boolean => {
  if (typeof userAgent !== 'string') return true;
  const ua = userAgent.trim().toLowerCase();
  if (ua === '') return true;
  if (KNOWN.some((token) => ua.includes(token))) return true;
  return GENERIC.test(ua.replace(FALSE_POSITIVES, ''));
};
