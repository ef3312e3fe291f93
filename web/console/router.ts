import { signal } from './signal';

/**
 * Routes live in the hash (`/console#/customers/jon@example.com`), so `/console` is the only
 * HTML document the server serves. Hashes not starting with `#/` (none are used) are ignored.
 */
export interface Route {
  page: string;
  /** The rest of the path, decoded, e.g. a customer reference. */
  param?: string;
}

export const parseHash = (hash: string): Route => {
  const m = /^#\/([a-z-]+)(?:\/(.*))?$/.exec(hash);
  if (!m) return { page: '' };
  return { page: m[1]!, ...(m[2] ? { param: decodeURIComponent(m[2]) } : {}) };
};

export const href = (page: string, param?: string): string =>
  `#/${page}${param !== undefined ? `/${encodeURIComponent(param)}` : ''}`;

export const route = signal<Route>(parseHash(location.hash));

window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) route.set(parseHash(location.hash));
});

export const navigate = (page: string, param?: string): void => {
  location.hash = href(page, param);
};
