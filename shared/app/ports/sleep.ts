/**
 * Waits `ms` milliseconds (none when `ms` is 0 or less): the pause between retries (shared/adapters/sleep.ts
 * sleep).
 */
export type Sleep = (ms: number) => Promise<void>;
