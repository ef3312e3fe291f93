import { sleep } from '../../shared/adapters/sleep';
import type { Random, RandomInt } from '../../shared/app/ports/random';
import { seededRandom as simulationRandom } from '../../shared/domain/churn/simulate';

/** The project's seeded generator (sfc32, shared/domain/churn/simulate.ts): the same numbers on every run. */
export const seededRandom = (seed = 1): Random => simulationRandom(seed);

export const seededRandomInt = (seed = 1): RandomInt => {
  const next = seededRandom(seed);
  return (maxExclusive) => Math.floor(next() * maxExclusive);
};

/**
 * What use cases take for retries and codes, deterministic: seeded jitter and codes, and the
 * real (short) sleep so racing writers interleave as they do in production.
 */
export const testRetryDeps = (seed = 1) => ({
  random: seededRandom(seed),
  randomInt: seededRandomInt(seed + 1),
  sleep,
});
