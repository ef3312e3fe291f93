import type {
  HistoryPage,
  MeView,
  ProgramView,
  RedemptionResponse,
  SessionResponse,
} from '../../shared/schemas/storefront';
import type { Locale } from './strings';

/** An answer other than 2xx, with our error body's code when there is one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`${status} ${code}`);
  }
}

export interface StorefrontApi {
  program(locale: Locale): Promise<ProgramView>;
  session(customerToken: string): Promise<SessionResponse>;
  me(token: string, locale: Locale): Promise<MeView>;
  history(token: string, locale: Locale, cursor: string): Promise<HistoryPage>;
  redeem(token: string, rewardId: string, idempotencyKey: string): Promise<RedemptionResponse>;
  /** Claims a self-declared way to earn; a birthday carries its "MM-DD". */
  claim(token: string, type: string, date?: string): Promise<unknown>;
}

/** The storefront API of one shop. Only our own origin is ever called: no third-party requests. */
export const storefrontApi = (base: string, shopId: string): StorefrontApi => {
  const root = `${base}/storefront/${encodeURIComponent(shopId)}`;
  const call = async <T>(path: string, init: RequestInit = {}, token?: string): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', ...(init.headers as Record<string, string>) };
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body) headers['content-type'] = 'application/json';
    // credentials: 'omit': the API authenticates by bearer token, never by the shop's cookies.
    const res = await fetch(`${root}${path}`, { ...init, headers, credentials: 'omit', mode: 'cors' });
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    if (!res.ok) throw new ApiError(res.status, body?.error?.code ?? 'http_error');
    return body as T;
  };
  return {
    program: (locale) => call(`/program?locale=${locale}`),
    session: (customerToken) => call('/session', { method: 'POST', body: JSON.stringify({ customerToken }) }),
    me: (token, locale) => call(`/me?locale=${locale}`, {}, token),
    history: (token, locale, cursor) =>
      call(`/me/history?locale=${locale}&cursor=${encodeURIComponent(cursor)}`, {}, token),
    redeem: (token, rewardId, key) =>
      call(
        `/me/redemptions`,
        { method: 'POST', body: JSON.stringify({ rewardId }), headers: { 'idempotency-key': key } },
        token,
      ),
    claim: (token, type, date) =>
      call(
        '/me/activities',
        { method: 'POST', body: JSON.stringify(date ? { type, properties: { date } } : { type }) },
        token,
      ),
  };
};
