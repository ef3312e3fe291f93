import { get, query, shopPath } from '../api';
import { BarList, ErrorNote, Loading, Section, TimeChart, useLoad } from '../components';
import { change, moneyWhole, num, pct } from '../format';
import { t, type Key } from '../i18n';
import { lastDays, loyaltyOverTime, ordersAndRevenue, pointsFlow, referralFunnel, segmentSizes } from '../metrics';
import type { DailyStat, EmailFigures, EmailRow, Kpi, MetricsDay, Overview as OverviewData } from '../types';

type KpiKind = 'count' | 'ratio' | 'money' | 'score';
const kpiCards: { key: keyof Omit<OverviewData['kpis'], 'pointsLiability'>; kind: KpiKind }[] = [
  { key: 'members', kind: 'count' },
  { key: 'active90', kind: 'count' },
  { key: 'repeatPurchaseRate', kind: 'ratio' },
  { key: 'memberRevenue', kind: 'money' },
  { key: 'nonMemberRevenue', kind: 'money' },
  { key: 'referredRevenue', kind: 'money' },
  { key: 'redemptionRate', kind: 'ratio' },
  { key: 'nps', kind: 'score' },
];

const show = (v: number | null, kind: KpiKind, currency: string): string =>
  v === null
    ? '–'
    : kind === 'money'
      ? moneyWhole(v, currency)
      : kind === 'ratio'
        ? pct(v)
        : // NPS is read as a whole number (−100 to 100).
          num(kind === 'score' ? Math.round(v) : v);

const KpiCard = ({ label, kpi, kind, currency }: { label: string; kpi: Kpi; kind: KpiKind; currency: string }) => {
  const c = change(kpi.value, kpi.previous);
  const up = kpi.value !== null && kpi.previous !== null && kpi.value >= kpi.previous;
  return (
    <li class="kpi">
      <span class="kpi-label">{label}</span>
      <span class="kpi-value">{show(kpi.value, kind, currency)}</span>
      <span class={`kpi-change ${c ? (up ? 'up' : 'down') : 'muted'}`}>
        {c ? t('vsPrevious', { change: c }) : t('noPrevious')}
      </span>
    </li>
  );
};

export const Overview = ({ shopId, currency }: { shopId: string; currency: string }) => {
  const range = lastDays(new Date(), 30);
  const overview = useLoad(
    () => get<OverviewData>(shopPath(shopId, `/stats/overview${query({ days: 30 })}`)),
    [shopId],
  );
  const daily = useLoad(() => get<{ days: DailyStat[] }>(shopPath(shopId, `/stats/daily${query(range)}`)), [shopId]);
  const loyalty = useLoad(() => get<{ days: MetricsDay[] }>(shopPath(shopId, `/metrics${query(range)}`)), [shopId]);
  const o = overview.data;
  const cur = o?.kpis.pointsLiability.value.currency ?? o?.currency ?? currency;
  // A night run twice (a manual run beside the scheduled one) counts once: the later run of each day.
  const runs = [
    ...new Map((o?.distributions.segments ?? []).map((r) => [r.asOf, { asOf: r.asOf, sizes: r.segments }])).values(),
  ];
  return (
    <>
      <h1>{t('overview')}</h1>
      <p class="muted">{t('last30')}</p>
      <ErrorNote error={overview.error ?? daily.error ?? loyalty.error} />
      {overview.loading && !o ? <Loading /> : null}
      {o ? (
        <ul class="kpis" aria-label={t('overview')}>
          {kpiCards.map((k) => (
            <KpiCard key={k.key} label={t(k.key as Key)} kpi={o.kpis[k.key]} kind={k.kind} currency={cur} />
          ))}
          <li class="kpi">
            <span class="kpi-label">{t('pointsLiability')}</span>
            <span class="kpi-value">
              {moneyWhole(o.kpis.pointsLiability.value.amount, o.kpis.pointsLiability.value.currency)}
            </span>
            <span class="kpi-change muted">
              {t('pointsLiabilityBody', { points: num(o.kpis.pointsLiability.value.points) })}
            </span>
            {o.kpis.pointsLiability.previous ? (
              <span class="kpi-change muted">
                {t('vsPrevious', {
                  change: change(o.kpis.pointsLiability.value.amount, o.kpis.pointsLiability.previous.amount) ?? '±0',
                })}
              </span>
            ) : null}
          </li>
        </ul>
      ) : null}
      {daily.data ? (
        <div class="charts">
          <Section title={t('ordersRevenue')}>
            <TimeChart title={t('ordersRevenue')} data={ordersAndRevenue(daily.data.days)} currency={cur} />
          </Section>
          <Section title={t('pointsFlow')}>
            <TimeChart title={t('pointsFlow')} data={pointsFlow(daily.data.days)} currency={cur} />
          </Section>
          <Section title={t('referralFunnel')}>
            <TimeChart title={t('referralFunnel')} data={referralFunnel(daily.data.days)} currency={cur} />
          </Section>
        </div>
      ) : daily.loading ? (
        <Loading />
      ) : null}
      {o ? (
        <div class="charts">
          {loyalty.data ? (
            <Section title={t('loyaltyOverTime')}>
              <TimeChart title={t('loyaltyOverTime')} data={loyaltyOverTime(loyalty.data.days)} currency={cur} />
            </Section>
          ) : null}
          <Section title={t('segmentSizes')}>
            {runs.length > 1 ? (
              <TimeChart title={t('segmentSizes')} data={segmentSizes(runs)} currency={cur} />
            ) : (
              // One night is a point, not a line: its sizes as bars until there is a history.
              <BarList
                title={t('segmentSizes')}
                label={t('segment')}
                rows={Object.entries(runs[0]?.sizes ?? {}).map(([name, value]) => ({ name, value }))}
              />
            )}
          </Section>
          <Section title={t('churnRisk')}>
            <BarList
              title={t('churnRisk')}
              label={t('bucket')}
              rows={o.distributions.churnRisk.map((r) => ({ name: `${r.min}–${r.max}`, value: r.customers }))}
            />
          </Section>
          <Section title={t('tierDistribution')}>
            <BarList
              title={t('tierDistribution')}
              label={t('tier')}
              rows={o.distributions.tiers.map((r) => ({
                name: r.tier === 'none' ? t('noTier') : r.name,
                value: r.customers,
              }))}
            />
          </Section>
          <Section title={t('emailPerformance')} wide>
            <EmailTable rows={emailRows(o.distributions.emails.byType)} />
          </Section>
        </div>
      ) : null}
    </>
  );
};

const emailColumns = ['sent', 'delivered', 'bounced', 'complained', 'failed'] as const;

/** The types that sent or tried anything in the period, busiest first. */
const emailRows = (byType: Record<string, EmailFigures>): EmailRow[] =>
  Object.entries(byType)
    .filter(([, f]) => f.sent + f.failed > 0)
    .map(([type, f]) => ({ type, ...f }))
    .sort((a, b) => b.sent - a.sent);

const EmailTable = ({ rows }: { rows: EmailRow[] }) =>
  rows.length === 0 ? (
    <p class="muted">{t('nothing')}</p>
  ) : (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('type')}</th>
            {emailColumns.map((c) => (
              <th scope="col" class="num" key={c}>
                {t(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.type}>
              <th scope="row">{r.type}</th>
              {emailColumns.map((c) => (
                <td class="num" key={c}>
                  {num(r[c])}
                  {c !== 'sent' && r.sent > 0 ? <span class="muted"> ({pct(r[c] / r.sent, 0)})</span> : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
