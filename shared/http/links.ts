import type { Runtime } from '../wiring/runtime';
import { header, type HttpEvent } from './request';

/**
 * Where customers are sent: BOOMERANG_PUBLIC_BASE_URL when set (the deployed API or a custom
 * domain), else the host this request came to.
 */
export const publicBaseUrl = (rt: Runtime, event: HttpEvent): string => {
  if (rt.env.BOOMERANG_PUBLIC_BASE_URL) return rt.env.BOOMERANG_PUBLIC_BASE_URL.replace(/\/+$/, '');
  const host = header(event, 'host') ?? event.requestContext.domainName;
  const proto = header(event, 'x-forwarded-proto') ?? (/^(localhost|127\.|\[::1\])/.test(host) ? 'http' : 'https');
  return `${proto}://${host}`;
};

export const referralLink = (rt: Runtime, event: HttpEvent, code: string): string =>
  `${publicBaseUrl(rt, event)}/r/${code}`;
