/**
 * A small typed client of Boomerang's HTTP API (README, HTTP API): bearer auth, JSON in and out,
 * and the one error body `{ error: { code, message, details? } }` turned into an ApiError. No
 * command parsing or output here.
 */

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: unknown;
}

/** A non-2xx answer, or `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(`${status ? `${status} ` : ''}${body.code}: ${body.message}`);
  }
}

export interface ClientOptions {
  url: string;
  key?: string;
  fetch?: typeof fetch;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  text: string;
  json: unknown;
}

export interface RequestOptions {
  /** Objects go as JSON; strings and Buffers byte for byte. */
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Send the API key (default true). */
  auth?: boolean;
}

const parseJson = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

const errorBodyOf = (status: number, json: unknown, text: string): ApiErrorBody => {
  const e = (json as { error?: Partial<ApiErrorBody> } | undefined)?.error;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return e as ApiErrorBody;
  return { code: `http_${status}`, message: text.slice(0, 200) || `HTTP ${status}` };
};

export const enc = encodeURIComponent;

export class BoomerangClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  /** Any answer, success or not; throws ApiError(0) only when the server cannot be reached. */
  async raw(method: string, pathOrUrl: string, options: RequestOptions = {}): Promise<RawResponse> {
    const url = new URL(/^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    if (options.auth !== false && this.options.key) headers.authorization = `Bearer ${this.options.key}`;
    let body: string | Buffer | undefined;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = options.body;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    let res: Response;
    try {
      res = await this.doFetch(url, { method, headers, body });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new ApiError(0, {
        code: 'network_error',
        message: `Could not reach ${url.origin}${cause ? ` (${cause})` : ''}`,
      });
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    return { status: res.status, headers: res.headers, bytes, text, json: parseJson(text) };
  }

  /** The parsed JSON of a 2xx answer; ApiError otherwise. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.raw(method, path, options);
    if (res.status < 200 || res.status > 299)
      throw new ApiError(res.status, errorBodyOf(res.status, res.json, res.text));
    return res.json as T;
  }

  /** A 2xx answer's bytes (downloads); ApiError otherwise. */
  async download(url: string, options: RequestOptions = {}): Promise<RawResponse> {
    const res = await this.raw('GET', url, options);
    if (res.status < 200 || res.status > 299)
      throw new ApiError(res.status, errorBodyOf(res.status, res.json, res.text));
    return res;
  }
}
