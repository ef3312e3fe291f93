/** A uniformly random number in [0, 1): jitter for retries (shared/adapters/random.ts random). */
export type Random = () => number;

/**
 * A uniformly random integer in [0, maxExclusive), cryptographically strong: codes people type
 * (shared/adapters/random.ts randomInt).
 */
export type RandomInt = (maxExclusive: number) => number;
