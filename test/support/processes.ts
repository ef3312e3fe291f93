import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root: child processes run `local/start.ts` from here, as `npm start` does. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the process has exited (it never rejects). */
  exited: Promise<Exit>;
  /** Resolves with the first match of `pattern` on stdout; rejects on exit or timeout. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Sends `signal` and waits for the exit, SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit & { timedOut: boolean }>;
}

const running = new Set<AppProcess>();

/** Variables the test worker has that must not leak into a child that decides them itself. */
const inherited = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (k.startsWith('BOOMERANG_') || k.startsWith('AWS_')) delete env[k];
  }
  delete env.PORT;
  delete env.HOST;
  delete env.LOG_LEVEL;
  return env;
};

/**
 * `npm start` without npm: node with the tsx loader running local/start.ts, so signals go
 * straight to the launcher (npx/npm would sit in between and swallow or re-send them).
 */
export const spawnApp = (env: Record<string, string | undefined>): AppProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: repoRoot,
    env: { ...inherited(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const app: AppProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${pattern} on stdout within ${timeoutMs} ms.\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const check = () => {
          const m = out.match(pattern);
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const onExit = (code: number | null, signal: string | null) => {
          cleanup();
          reject(
            new Error(
              `process exited (code ${code}, signal ${signal}) before ${pattern} appeared.\nstdout: ${out}\nstderr: ${err}`,
            ),
          );
        };
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout!.off('data', check);
          child.off('exit', onExit);
        };
        child.stdout!.on('data', check);
        child.once('exit', onExit);
        check();
      }),
    stop: async (signal = 'SIGINT', timeoutMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, timeoutMs);
      const exit = await exited;
      clearTimeout(timer);
      return { ...exit, timedOut };
    },
  };
  running.add(app);
  void exited.then(() => running.delete(app));
  return app;
};

/** For afterEach: SIGKILL whatever a failed test left running. */
export const killRunningApps = async (): Promise<void> => {
  await Promise.all([...running].map((app) => app.stop('SIGKILL', 1000)));
};

/** Processes (pid and command line) whose command line contains `fragment`. */
export const processesMatching = (fragment: string): { pid: number; args: string }[] => {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), args: m[2]! }))
    .filter((p) => p.pid !== process.pid && p.args.includes(fragment) && !p.args.startsWith('ps '));
};

/** DynamoDB Local JVMs whose command line mentions `fragment` (e.g. a test's data dir). */
export const dynamoJvms = (fragment: string) =>
  processesMatching(fragment).filter((p) => p.args.includes('DynamoDBLocal'));

export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
};

/** Polls `url` until it answers 200; returns the time it took, or throws after `timeoutMs`. */
export const waitForHealthy = async (url: string, timeoutMs: number, app?: AppProcess): Promise<number> => {
  const t0 = Date.now();
  const ok = await waitUntil(
    async () => {
      if (app && (app.child.exitCode !== null || app.child.signalCode !== null)) {
        throw new Error(`process exited before ${url} answered.\nstdout: ${app.stdout()}\nstderr: ${app.stderr()}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        return res.status === 200;
      } catch {
        return false;
      }
    },
    timeoutMs,
    100,
  );
  if (!ok) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
  return Date.now() - t0;
};
