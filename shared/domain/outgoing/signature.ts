import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the key is the base64 after
 * `whsec_`; the signed content is `{webhook-id}.{webhook-timestamp}.{body}`; the header value is
 * `v1,<base64 HMAC-SHA256>`, several of them space-separated while a rotated secret is still valid.
 */
export const secretPrefix = 'whsec_';

/** A new endpoint secret from `bytes` random bytes (the caller's randomness; 24–64 bytes per the spec). */
export const endpointSecret = (bytes: Buffer): string => `${secretPrefix}${bytes.toString('base64')}`;

const keyOf = (secret: string): Buffer =>
  Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, 'base64');

/** One `v1,<base64>` signature of a message. `timestamp` is in epoch seconds. */
export const signMessage = (secret: string, id: string, timestamp: number, body: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;

/** The `webhook-signature` header: one signature per valid secret (the current one first). */
export const signatureHeader = (secrets: readonly string[], id: string, timestamp: number, body: string): string =>
  secrets.map((s) => signMessage(s, id, timestamp, body)).join(' ');

/** The three headers a delivery carries. */
export const webhookHeaders = (
  secrets: readonly string[],
  msg: { id: string; timestamp: number; body: string },
): Record<string, string> => ({
  'content-type': 'application/json',
  'webhook-id': msg.id,
  'webhook-timestamp': String(msg.timestamp),
  'webhook-signature': signatureHeader(secrets, msg.id, msg.timestamp, msg.body),
});

/** Whether any `v1` signature in a header matches (for our own tests of receivers; constant time). */
export const verifySignature = (secret: string, header: string, id: string, timestamp: number, body: string) => {
  const want = Buffer.from(signMessage(secret, id, timestamp, body));
  return header.split(' ').some((sig) => {
    const got = Buffer.from(sig);
    return got.length === want.length && timingSafeEqual(got, want);
  });
};

/** What a secret may be shown as after creation: its prefix and last four characters. */
export const secretHint = (secret: string): string => `${secretPrefix}…${secret.slice(-4)}`;
