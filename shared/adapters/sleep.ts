/** Waits `ms` milliseconds (none when `ms` is 0 or less): the one sleep of the adapters' retry loops. */
export const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
