import { useState } from 'preact/hooks';
import { get, post, shopPath } from '../api';
import { BarList, ErrorNote, Loading, Section, Status, useLoad } from '../components';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { JobDetail, JobSummary } from '../types';

export const Segments = ({ shopId, permissions }: { shopId: string; permissions: string[] }) => {
  const jobs = useLoad(() => get<{ items: JobSummary[] }>(shopPath(shopId, '/jobs')), [shopId]);
  const latest = jobs.data?.items.find((j) => j.status === 'succeeded');
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const run = async () => {
    setError(undefined);
    try {
      await post(shopPath(shopId, '/jobs/nightly'), { asOf: new Date().toISOString().slice(0, 10) });
      setDone(t('runStarted'));
      jobs.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <h1>{t('segments')}</h1>
      {permissions.includes('segments:run') ? (
        <p>
          <button type="button" class="secondary" onClick={run}>
            {t('runNow')}
          </button>
        </p>
      ) : null}
      <ErrorNote error={jobs.error ?? error} />
      <Status text={done} />
      {jobs.loading && !jobs.data ? <Loading /> : null}
      {latest ? <Latest shopId={shopId} jobId={latest.jobId} /> : null}
      {jobs.data ? (
        <Section title={t('runHistory')}>
          {jobs.data.items.length === 0 ? (
            <p class="muted">{t('nothing')}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('asOf')}</th>
                    <th scope="col">{t('status')}</th>
                    <th scope="col">{t('started')}</th>
                    <th scope="col">{t('completed')}</th>
                    <th scope="col">{t('segment')}</th>
                  </tr>
                </thead>
                <tbody>
                  {jobs.data.items.map((j) => (
                    <tr key={j.jobId}>
                      <td>{j.asOf}</td>
                      <td>{j.status}</td>
                      <td>{dateTime(j.startedAt)}</td>
                      <td>{dateTime(j.completedAt)}</td>
                      <td>
                        {j.segments
                          ? Object.entries(j.segments)
                              .map(([k, v]) => `${k} ${v}`)
                              .join(', ')
                          : '–'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      ) : null}
    </>
  );
};

const Latest = ({ shopId, jobId }: { shopId: string; jobId: string }) => {
  const job = useLoad(() => get<JobDetail>(shopPath(shopId, `/jobs/${encodeURIComponent(jobId)}`)), [shopId, jobId]);
  if (job.error) return <ErrorNote error={job.error} />;
  if (!job.data?.result) return null;
  const r = job.data.result;
  return (
    <Section title={`${t('latestRun')} (${r.asOf})`}>
      <BarList
        title={t('segments')}
        label={t('segment')}
        rows={Object.entries(r.segments).map(([name, value]) => ({ name, value }))}
      />
      <p class="actions">
        <a class="button secondary" href={r.export.csv.url}>
          {t('download')} CSV
        </a>
        <a class="button secondary" href={r.export.json.url}>
          {t('download')} JSON
        </a>
      </p>
    </Section>
  );
};
