import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { readNightlyJob, requestNightly } from '../../../shared/app/nightly/jobs';
import type { NightlyDeps, NightlyJob } from '../../../shared/app/ports/nightly';
import type { Shop } from '../../../shared/domain/shop';

const job = (over: Partial<NightlyJob> = {}): NightlyJob =>
  ({
    shopId: 's',
    jobId: 'J1',
    asOf: '2026-04-30',
    totalSegments: 1,
    trigger: 'api',
    status: 'running',
    createdAt: '',
    updatedAt: '',
    ...over,
  }) as NightlyJob;

describe('nightly jobs', () => {
  it('never runs a day that has not begun, and starts others under a new id from its deps', async () => {
    const created: NightlyJob[] = [];
    const deps = {
      clock: fixedClock('2026-05-01T23:00:00Z'),
      newId: () => 'J-NEW',
      logger: { info: () => undefined },
      store: {
        createJob: async (j: NightlyJob) => {
          created.push(j);
          return true;
        },
      },
    } as unknown as NightlyDeps;
    const launcher = { start: async () => undefined };
    const shop = { id: 's' } as Shop;
    expect(await requestNightly(deps, launcher, shop, { asOf: '2026-05-02', totalSegments: 2 })).toEqual({
      ok: false,
      error: { kind: 'as_of_in_future' },
    });
    expect(created).toEqual([]);
    const r = await requestNightly(deps, launcher, shop, { asOf: '2026-05-01', totalSegments: 2 });
    expect(r).toMatchObject({
      ok: true,
      value: { outcome: 'started', job: { jobId: 'J-NEW', asOf: '2026-05-01', trigger: 'api', totalSegments: 2 } },
    });
  });

  it('reads a job with freshly signed export links', async () => {
    const exported = {
      csv: { key: 'exports/s/2026-04-30/customers.csv', url: 'old' },
      json: { key: 'exports/s/2026-04-30/customers.json', url: 'old' },
    };
    const done = job({ status: 'succeeded', result: { export: exported } as never });
    const jobs = {
      getJob: async (_s: string, id: string) => (id === 'J1' ? done : id === 'J2' ? job({ jobId: 'J2' }) : undefined),
    };
    const sink = {
      downloadUrl: async (key: string, seconds: number) => ({ key, url: `fresh/${key}?s=${seconds}` }) as never,
    };
    expect(await readNightlyJob({ jobs, sink }, 's', 'J0')).toEqual({ ok: false, error: { kind: 'not_found' } });
    expect(await readNightlyJob({ jobs, sink }, 's', 'J2')).toEqual({
      ok: true,
      value: { jobId: 'J2', status: 'running' },
    });
    const r = await readNightlyJob({ jobs, sink }, 's', 'J1');
    expect(r).toMatchObject({
      ok: true,
      value: {
        jobId: 'J1',
        status: 'succeeded',
        result: {
          export: {
            csv: { url: `fresh/${exported.csv.key}?s=86400` },
            json: { url: `fresh/${exported.json.key}?s=86400` },
          },
        },
      },
    });
  });
});
