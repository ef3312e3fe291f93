import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backgroundRuns } from '../../../shared/app/nightly/background';
import { jobView, requestNightly } from '../../../shared/app/nightly/jobs';
import type { NightlyDeps, NightlyLauncher } from '../../../shared/app/ports/nightly';
import { customer, memoryNightly, paidOrder, testShop, type MemoryNightly } from '../../support/memory-nightly';

/**
 * Runs without a state machine (shared/app/nightly/background.ts): the request answers at once,
 * the run goes on in the background recording its progress, and nothing it throws escapes.
 */

const shop = testShop();
const asOf = '2026-03-31';

const seeded = (): MemoryNightly => {
  const m = memoryNightly(shop);
  for (let i = 0; i < 6; i++) {
    const cid = `i.c${i}`;
    m.store.add(shop.id, { kind: 'customer', customer: customer(cid) });
    for (let k = 0; k <= i % 3; k++)
      m.store.add(shop.id, {
        kind: 'order',
        order: paidOrder(cid, `${cid}-${k}`, `2026-0${1 + k}-1${i}T10:00:00.000Z`, 5_000 + 900 * i),
      });
  }
  return m;
};

/** A scan that waits until `open()` is called: the run stays in `summarise` until then. */
const gatedScan = (deps: NightlyDeps) => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const store = deps.store;
  const gated: NightlyDeps = {
    ...deps,
    store: {
      ...store,
      async *scanShop(shopId, segment, totalSegments) {
        await gate;
        yield* store.scanShop(shopId, segment, totalSegments);
      },
    },
  };
  return { deps: gated, open };
};

let unhandled: unknown[];
const onUnhandled = (e: unknown) => unhandled.push(e);
beforeEach(() => {
  unhandled = [];
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('background runs (no state machine)', () => {
  it('answer at once with the job running in summarise, then record each step and succeed', async () => {
    const m = seeded();
    const runs = backgroundRuns();
    const { deps, open } = gatedScan(m.deps);
    const started = await requestNightly(deps, runs.launcher(deps), shop, { asOf, totalSegments: 2 });
    expect(started).toMatchObject({ ok: true, value: { outcome: 'started', mode: 'async' } });
    const { jobId } = started.ok ? started.value.job : { jobId: '' };
    expect(runs.running).toBe(1);
    const running = (await m.deps.store.getJob(shop.id, jobId))!;
    expect(jobView(running)).toEqual({
      jobId,
      status: 'running',
      progress: { step: 'summarise', stepsDone: 0, stepsTotal: 4 },
    });

    open();
    await runs.settled();
    expect(runs.running).toBe(0);
    expect(m.store.progressLog.map(({ step, stepsDone }) => `${step}:${stepsDone}`)).toEqual([
      'fit:1',
      'score:2',
      'assemble:3',
    ]);
    const done = (await m.deps.store.getJob(shop.id, jobId))!;
    expect(done.status).toBe('succeeded');
    expect(jobView(done)).toMatchObject({
      jobId,
      status: 'succeeded',
      progress: { step: 'assemble', stepsDone: 4, stepsTotal: 4 },
      result: { asOf },
    });
    expect(m.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        message: 'nightly job ended',
        data: expect.objectContaining({ jobId }),
      }),
    );
  });

  it('runs in the request only with an explicit wait, and never instead of a state machine', async () => {
    const m = seeded();
    const runs = backgroundRuns();
    const here = await requestNightly(m.deps, runs.launcher(m.deps), shop, { asOf, totalSegments: 2, wait: true });
    expect(here).toMatchObject({
      ok: true,
      value: { outcome: 'finished', mode: 'sync', job: { status: 'succeeded' } },
    });
    expect(runs.running).toBe(0);

    const handed: string[] = [];
    const stateMachine: NightlyLauncher = { start: async (run) => void handed.push(run.jobId) };
    const there = await requestNightly(m.deps, stateMachine, shop, { asOf, totalSegments: 2, wait: true });
    expect(there).toMatchObject({ ok: true, value: { outcome: 'started', job: { status: 'running' } } });
    expect(handed).toHaveLength(1);
  });

  it('a failing step marks the job failed where it stopped', async () => {
    const m = seeded();
    const runs = backgroundRuns();
    const deps: NightlyDeps = {
      ...m.deps,
      sink: { ...m.deps.sink, get: async (key) => (key.endsWith('model.json') ? undefined : m.deps.sink.get(key)) },
    };
    const started = await requestNightly(deps, runs.launcher(deps), shop, { asOf, totalSegments: 2 });
    await runs.settled();
    const jobId = started.ok ? started.value.job.jobId : '';
    const job = (await m.deps.store.getJob(shop.id, jobId))!;
    expect(jobView(job)).toMatchObject({
      status: 'failed',
      progress: { step: 'score', stepsDone: 2, stepsTotal: 4 },
      error: { code: 'Error', message: expect.stringMatching(/model\.json is missing/) },
    });
    expect(unhandled).toEqual([]);
  });

  it('marks the runs under way failed when the process is about to stop', async () => {
    const m = seeded();
    const runs = backgroundRuns();
    const { deps, open } = gatedScan(m.deps);
    const started = await requestNightly(deps, runs.launcher(deps), shop, { asOf, totalSegments: 2 });
    const jobId = started.ok ? started.value.job.jobId : '';
    expect(await runs.interrupt('npm start stopped')).toBe(1);
    expect(jobView((await m.deps.store.getJob(shop.id, jobId))!)).toEqual({
      jobId,
      status: 'failed',
      progress: { step: 'summarise', stepsDone: 0, stepsTotal: 4 },
      error: { code: 'interrupted', message: 'npm start stopped' },
    });
    open();
    await runs.settled();
    expect(await runs.interrupt('again')).toBe(0);
  });

  it('logs a run that cannot even record its failure, and lets nothing escape', async () => {
    const m = seeded();
    const runs = backgroundRuns();
    const broken = new Error('DynamoDB is gone');
    const deps: NightlyDeps = {
      ...m.deps,
      store: {
        ...m.deps.store,
        scanShop: () => {
          throw broken;
        },
        getJob: async () => Promise.reject(broken),
        failJob: async () => Promise.reject(broken),
        setJobProgress: async () => Promise.reject(broken),
      },
    };
    await runs.launcher(deps).start({ shopId: shop.id, jobId: 'j', asOf, totalSegments: 2 });
    await runs.settled();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(unhandled).toEqual([]);
    const errors = m.log.lines.filter((l) => l.level === 'error').map((l) => l.message);
    expect(errors).toContain('nightly background run failed');
    expect(errors).toContain('nightly job could not be marked failed');
  });
});
