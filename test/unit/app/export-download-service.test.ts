import { describe, expect, it } from 'vitest';
import { downloadExport, type ExportDownloadDeps } from '../../../shared/app/export-download-service';
import { fixedClock } from '../../../shared/adapters/clock';

const key = 'exports/s1/2026-05-01/customers.csv';

const deps = (over: Partial<ExportDownloadDeps> = {}): ExportDownloadDeps => ({
  verifyToken: async () => ({ ok: true, key, exp: 2e9 }),
  sink: { get: async (k) => (k === key ? 'a,b\n' : undefined) },
  describe: () => ({ contentType: 'text/csv; charset=utf-8', fileName: 'customers.csv' }),
  clock: fixedClock('2026-05-02T00:00:00Z'),
  ...over,
});

describe('downloadExport', () => {
  it('serves the export the token grants, named after shop and day', async () => {
    expect(await downloadExport(deps(), 't')).toEqual({
      ok: true,
      value: { body: 'a,b\n', contentType: 'text/csv; charset=utf-8', fileName: 's1-2026-05-01-customers.csv' },
    });
  });

  it('checks the token at the clock’s second', async () => {
    let asked: number | undefined;
    await downloadExport(deps({ verifyToken: async (_t, now) => ((asked = now), undefined) }), 't');
    expect(asked).toBe(Date.parse('2026-05-02T00:00:00Z') / 1000);
  });

  it('says why it serves nothing', async () => {
    const kind = async (over: Partial<ExportDownloadDeps>) => {
      const r = await downloadExport(deps(over), 't');
      return r.ok ? 'ok' : r.error.kind;
    };
    expect(await kind({ verifyToken: async () => undefined })).toBe('unavailable');
    expect(await kind({ verifyToken: async () => ({ ok: false, reason: 'expired' }) })).toBe('expired');
    expect(await kind({ verifyToken: async () => ({ ok: false, reason: 'bad_signature' }) })).toBe('invalid_token');
    expect(await kind({ verifyToken: async () => ({ ok: true, key: 'jobs/s1/x.json', exp: 2e9 }) })).toBe('not_export');
    expect(await kind({ sink: { get: async () => undefined } })).toBe('not_found');
  });
});
