import { randomInt as cryptoRandomInt } from 'node:crypto';
import type { Random, RandomInt } from '../app/ports/random';

/** Jitter: not a secret, so the fast generator. */
export const random: Random = Math.random;

/** Codes customers type and share (referral and discount codes): node:crypto. */
export const randomInt: RandomInt = (maxExclusive) => cryptoRandomInt(maxExclusive);
