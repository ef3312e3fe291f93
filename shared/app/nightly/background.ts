import type { NightlyDeps, NightlyLauncher, NightlyRunInput } from '../ports/nightly';
import { fail } from './fail';
import { runInProcess } from './run';

/**
 * Runs without a state machine (`npm start`, tests): every step in this process, in the
 * background, as the state machine runs them in AWS. The request that starts a run answers at
 * once and never waits for (or times out on) the run; `GET …/jobs/{jobId}` shows its progress.
 */
export interface BackgroundRuns {
  /** A launcher whose runs use `deps` (the starting request's, for its download links). */
  launcher(deps: NightlyDeps): NightlyLauncher;
  /** How many runs are under way in this process. */
  readonly running: number;
  /** Resolves once every run under way (and any started meanwhile) has ended; never rejects. */
  settled(): Promise<void>;
  /**
   * Marks every run under way failed (`interrupted`, with `reason`), for a process that is about
   * to stop: their jobs would otherwise stay `running`, and a scheduled night is retried only
   * after it failed. Returns how many it marked; never rejects.
   */
  interrupt(reason: string): Promise<number>;
}

/**
 * One run, to its end, whatever happens: runInProcess marks the job failed when a step throws;
 * if even that (or reading the job back) throws, the error is logged and `fail` tried once more.
 * The returned promise never rejects, so a detached run cannot become an unhandled rejection.
 */
const runDetached = async (deps: NightlyDeps, run: NightlyRunInput): Promise<void> => {
  try {
    const job = await runInProcess(deps, run);
    deps.logger.info('nightly job ended', { ...run, status: job.status, ...(job.error ? { error: job.error } : {}) });
  } catch (e) {
    deps.logger.error('nightly background run failed', { ...run, error: e });
    try {
      await fail(deps, { ...run, error: e });
    } catch (again) {
      deps.logger.error('nightly job could not be marked failed', { ...run, error: again });
    }
  }
};

export const backgroundRuns = (): BackgroundRuns => {
  const running = new Map<Promise<void>, { deps: NightlyDeps; run: NightlyRunInput }>();
  return {
    launcher: (deps) => ({
      inProcess: true,
      async start(run) {
        const done: Promise<void> = runDetached(deps, run)
          // A throwing logger is the only way here; nothing may escape a detached promise.
          .catch(() => undefined)
          .finally(() => running.delete(done));
        running.set(done, { deps, run });
      },
    }),
    get running() {
      return running.size;
    },
    async settled() {
      while (running.size) await Promise.allSettled([...running.keys()]);
    },
    async interrupt(reason) {
      const marked = await Promise.all(
        [...running.values()].map(async ({ deps, run }) => {
          try {
            return (await fail(deps, { ...run, error: { code: 'interrupted', message: reason } })).status === 'failed';
          } catch (e) {
            deps.logger.error('nightly job could not be marked interrupted', { ...run, error: e });
            return false;
          }
        }),
      );
      return marked.filter(Boolean).length;
    },
  };
};
