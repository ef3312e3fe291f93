import { createHash } from 'node:crypto';

/** The widget's version: the first 16 hex digits of its SHA-256, used in `/widget/{hash}.js` and the ETag. */
export const contentHash = (code: string): string => createHash('sha256').update(code).digest('hex').slice(0, 16);
