import { sleep } from '../../shared/adapters/sleep';
import type { Random, RandomInt } from '../../shared/app/ports/random';

/** A seeded generator (mulberry32): the same numbers on every run. */
export const seededRandom = (seed = 1): Random => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const seededRandomInt = (seed = 1): RandomInt => {
  const next = seededRandom(seed);
  return (maxExclusive) => Math.floor(next() * maxExclusive);
};

/**
 * What use cases take for retries and codes, deterministic: seeded jitter and codes, and the
 * real (short) sleep so racing writers interleave as they do in production.
 */
export const testRetryDeps = (seed = 1) => ({ random: seededRandom(seed), randomInt: seededRandomInt(seed + 1), sleep });
