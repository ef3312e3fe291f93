/**
 * The one module that talks to the API. Same origin, the session cookie, and on every
 * state-changing request the CSRF token from `GET /console/auth/me` (docs/console.md).
 * A 401 sends the app back to sign-in; a 403 is "your role cannot do this".
 */
export interface FieldIssue {
  path: string;
  message: string;
  code?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  /** Validation details as `{ path, message }` (the server's 400 `validation_failed`). */
  get issues(): FieldIssue[] {
    return Array.isArray(this.details)
      ? this.details.filter((d): d is FieldIssue => !!d && typeof d === 'object' && 'path' in d && 'message' in d)
      : [];
  }
}

let csrfToken = '';
let onUnauthenticated: () => void = () => {};

export const setCsrfToken = (token: string): void => {
  csrfToken = token;
};
export const onSignedOut = (f: () => void): void => {
  onUnauthenticated = f;
};

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const request = async <T>(
  method: string,
  path: string,
  body?: unknown,
  o: { quiet401?: boolean } = {},
): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (unsafe.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const error = new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.details);
    if (res.status === 401 && !o.quiet401) onUnauthenticated();
    throw error;
  }
  return json as T;
};

export const get = <T>(path: string) => request<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});

/** `/admin/shops/{shopId}` + rest, with the shop id encoded. */
export const shopPath = (shopId: string, rest = ''): string => `/admin/shops/${encodeURIComponent(shopId)}${rest}`;

export const query = (params: Record<string, string | number | undefined>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};
