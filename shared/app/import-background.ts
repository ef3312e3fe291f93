import type { ImportLauncher } from './ports/imports';
import { runImport, type ImportDeps } from './import-service';

/**
 * Import runs without a worker function (`npm start`, tests): in the background of this process,
 * as the nightly runs are (nightly/background.ts). The request answers at once; `GET
 * …/imports/{importId}` shows progress. A run that throws has already marked its job failed.
 */
export interface ImportRuns {
  launcher(deps: ImportDeps): ImportLauncher;
  readonly running: number;
  /** Resolves once every run under way (and any started meanwhile) has ended; never rejects. */
  settled(): Promise<void>;
}

export const importRuns = (): ImportRuns => {
  const running = new Set<Promise<unknown>>();
  return {
    launcher: (deps) => ({
      async start(run) {
        const done: Promise<unknown> = runImport(deps, run)
          .catch((e: unknown) => deps.logger?.error('import background run failed', { ...run, error: e }))
          .catch(() => undefined)
          .finally(() => running.delete(done));
        running.add(done);
      },
    }),
    get running() {
      return running.size;
    },
    async settled() {
      while (running.size) await Promise.allSettled([...running]);
    },
  };
};
