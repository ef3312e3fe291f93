import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Resolver, WebhookPoster } from '../app/ports/endpoints';

/** Every address the system resolver gives for a name (A and AAAA), so each one can be checked. */
export const dnsResolver: Resolver = {
  async lookup(hostname) {
    const all = await lookup(hostname, { all: true, verbatim: true });
    return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  },
};

/** Answers bodies are not kept: only the status matters, and a receiver may answer with anything. */
const maxBodyBytes = 64 * 1024;

/**
 * POSTs through node:http(s) with the socket pinned to the checked address: `lookup` returns it
 * for the URL's name, so the connection cannot go anywhere DNS says afterwards, while the Host
 * header and TLS (SNI and certificate check) still use the name. Redirects are not followed
 * (a 3xx is just a status, retried like any other non-2xx).
 */
export const httpPoster: WebhookPoster = {
  post({ url, address, family, headers, body, timeoutMs }) {
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) {
        (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [
          { address, family },
        ]);
      } else callback(null, address, family);
    };
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<{ status: number; retryAfter?: string }>((done, fail) => {
      // The whole exchange, not just an idle socket, must end within the timeout (a trickling receiver too).
      const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const resolve = (v: { status: number; retryAfter?: string }) => (clearTimeout(timer), done(v));
      const reject = (e: unknown) => (clearTimeout(timer), fail(e as Error));
      const req = request(
        url,
        {
          method: 'POST',
          headers: {
            ...headers,
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'Boomerang-Webhooks/1',
          },
          lookup: pinned,
          timeout: timeoutMs,
          agent: false,
        },
        (res) => {
          let seen = 0;
          res.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (seen > maxBodyBytes) res.destroy();
          });
          const retryAfter = res.headers['retry-after'];
          const answer = { status: res.statusCode ?? 0, ...(retryAfter ? { retryAfter } : {}) };
          res.on('end', () => resolve(answer));
          res.on('close', () => resolve(answer));
          res.on('error', () => resolve(answer));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  },
};
