/**
 * `npm start` only: a stand-in page of a shop at `GET /local/widget-test/{shopId}` that embeds the
 * storefront widget with its one script tag, so a newcomer (and `npm run demo`'s "Widget" link)
 * sees it on a page without building a shop. `?token=` signs a customer in with
 * `Boomerang.identify` (a customer token as docs/storefront.md describes), `?lang=da` shows it in
 * Danish. The page is served from the API's own origin, so the shop must allow that origin
 * (`storefront.allowedOrigins`, as the demo shop does). Not a route of the stack: it is not deployed.
 */
export const widgetTestPath = /^\/local\/widget-test\/([A-Za-z0-9_-]{1,64})$/;

/** Shop ids and customer tokens are checked against their alphabets, so nothing here needs escaping. */
const tokenPattern = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export interface LocalPage {
  status: number;
  contentType: string;
  body: string;
}

export const widgetTestPage = (url: URL): LocalPage | undefined => {
  const shopId = widgetTestPath.exec(url.pathname)?.[1];
  if (!shopId) return undefined;
  const token = url.searchParams.get('token');
  if (token !== null && !tokenPattern.test(token))
    return { status: 400, contentType: 'text/plain; charset=utf-8', body: 'token: not a customer token' };
  const lang = url.searchParams.get('lang') === 'da' ? 'da' : 'en';
  const signIn = token
    ? `<script>(function go(){if(!window.Boomerang)return setTimeout(go,50);` +
      `window.Boomerang.identify(${JSON.stringify(token)}).then(function(ok){if(ok)window.Boomerang.open();});})();</script>`
    : '';
  const body =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Widget test page</title>' +
    '<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fbfaf7}' +
    'header{padding:1rem 1.5rem;background:#3b2a20;color:#fff}main{max-width:40rem;padding:1rem 1.5rem}' +
    '.note{background:#fff3cd;padding:.5rem 1rem;border-radius:.25rem}</style></head><body>' +
    `<header><strong>Shop ${shopId}</strong></header><main>` +
    '<p class="note">A stand-in shop page served by <code>npm start</code> (not deployed): the widget below ' +
    'is the real one, added by one script tag.</p>' +
    '<h1>Single-origin coffee</h1><p>Freshly roasted every week. Open the loyalty launcher at the bottom right.</p>' +
    (token ? '' : '<p>Add <code>?token=…</code> (a customer token) to this address to sign a customer in.</p>') +
    `</main><script src="/widget.js" data-shop="${shopId}" async></script>${signIn}</body></html>`;
  return { status: 200, contentType: 'text/html; charset=utf-8', body };
};

/** What `npm start` and the test stack serve besides the routes (the gateway's `localPages`). */
export const localPages = (method: string, url: URL): LocalPage | undefined =>
  method === 'GET' ? widgetTestPage(url) : undefined;
