import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ApiError } from './api';
import { money, moneyWhole, num, numCompact } from './format';
import { lang, locale, t, type Key } from './i18n';
import { summaryOf, type ChartData, type Series } from './metrics';
import { useSignal } from './signal';

/** Loads on mount and whenever `deps` change; `reload` runs it again. */
export const useLoad = <T,>(load: () => Promise<T>, deps: unknown[]) => {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const run = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, deps);
  useEffect(run, [run]);
  return { ...state, reload: run };
};

/** An API failure in words: a 403 is the role's limit, anything else the server's message. */
export const errorText = (e: unknown): string => {
  if (e instanceof ApiError && e.status === 403 && e.code !== 'csrf_failed') return t('forbidden');
  if (e instanceof ApiError && e.code === 'rate_limited') return t('rateLimited');
  return t('error', { message: e instanceof Error ? e.message : String(e) });
};

export const ErrorNote = ({ error }: { error: unknown }) =>
  error ? (
    <p class="note error" role="alert">
      {errorText(error)}
    </p>
  ) : null;

export const Status = ({ text }: { text: string | undefined }) => (
  <p class="note ok" role="status" aria-live="polite">
    {text ?? ''}
  </p>
);

export const Loading = () => (
  <p class="muted" role="status">
    {t('loading')}
  </p>
);

/** A labelled input with its error (from zod or the server) tied to it by aria-describedby. */
export const Field = ({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => JSX.Element;
}) => {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <span class="hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      {children({
        id,
        ...(error ? { 'aria-invalid': true } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error ? (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
};

export const Section = ({
  title,
  children,
  actions,
  wide,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
  wide?: boolean;
}) => (
  <section class={wide ? 'card wide' : 'card'} aria-label={title}>
    <div class="card-head">
      <h2>{title}</h2>
      {actions}
    </div>
    {children}
  </section>
);

/** A series' label: an i18n key where there is one, else the literal (a segment name, an e-mail type). */
const labelOf = (s: Series): string => {
  try {
    return t(s.label as Key) ?? s.label;
  } catch {
    return s.label;
  }
};

const palette = ['#1f6f5c', '#b4462b', '#3a5ba0', '#8a6d00', '#7a3e8f', '#2b7a99', '#5c5c5c', '#a33b6b'];

const valueText = (s: Series, v: number | null, currency: string): string =>
  v === null ? '–' : s.money ? money(v, currency) : num(v);

/**
 * A chart over days, drawn by uPlot on a canvas (hidden from screen readers), and the same
 * numbers as a table: visually hidden until "Show numbers" is pressed, always read by screen readers.
 */
export const TimeChart = ({ title, data, currency }: { title: string; data: ChartData; currency: string }) => {
  const ref = useRef<HTMLDivElement>(null);
  const [showTable, setShowTable] = useState(false);
  const language = useSignal(lang);
  const tableId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el || data.dates.length < 2) return;
    const hasMoney = data.series.some((s) => s.money);
    const shortDate = new Intl.DateTimeFormat(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [
        {},
        ...data.series.map((s, i) => ({
          label: labelOf(s),
          stroke: palette[i % palette.length],
          width: 2,
          scale: s.money ? 'money' : 'count',
          value: (_u: uPlot, v: number | null) => valueText(s, v, currency),
          points: { show: data.dates.length < 40 },
        })),
      ],
      axes: [
        {
          stroke: '#3d3d3d',
          values: (_u: uPlot, ticks: number[]) => ticks.map((ts) => shortDate.format(ts * 1000)),
        },
        {
          scale: 'count',
          stroke: '#3d3d3d',
          size: 50,
          values: (_u: uPlot, ticks: number[]) => ticks.map((v) => numCompact(v)),
        },
        ...(hasMoney
          ? [
              {
                scale: 'money',
                side: 1 as const,
                stroke: '#3d3d3d',
                size: 84,
                grid: { show: false },
                values: (_u: uPlot, ticks: number[]) => ticks.map((v) => moneyWhole(v, currency, true)),
              },
            ]
          : []),
      ],
    };
    const xs = data.dates.map((d) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`) / 1000);
    const plot = new uPlot(opts, [xs, ...data.series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(240, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, currency, language]);
  return (
    <figure class="chart">
      <figcaption>
        <h3>{title}</h3>
        <button
          type="button"
          class="link"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable(!showTable)}
        >
          {showTable ? t('hideNumbers') : t('showNumbers')}
        </button>
      </figcaption>
      <ul class="totals">
        {data.series.map((s) => (
          <li key={s.label}>
            <span class="swatch" style={{ background: palette[data.series.indexOf(s) % palette.length] }} />
            {labelOf(s)}: <strong>{valueText(s, summaryOf(s, data.summary), currency)}</strong>
          </li>
        ))}
      </ul>
      {data.dates.length < 2 ? (
        // One day is a point, not a line: its figures are the totals above until there is a history.
        <p class="muted">{data.dates.length ? t('onePoint') : t('nothing')}</p>
      ) : (
        <div class="plot" ref={ref} aria-hidden="true" />
      )}
      <div id={tableId} class={showTable ? 'table-wrap' : 'sr-only'}>
        <table class="data">
          <caption class="sr-only">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{t('date')}</th>
              {data.series.map((s) => (
                <th scope="col" key={s.label} class="num">
                  {labelOf(s)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.dates.map((d, i) => (
              <tr key={d}>
                <th scope="row">{d}</th>
                {data.series.map((s) => (
                  <td key={s.label} class="num">
                    {valueText(s, s.values[i] ?? null, currency)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
};

/** A categorical distribution as bars of text (a list of numbers that reads the same without sight). */
export const BarList = ({
  title,
  rows,
  label,
}: {
  title: string;
  rows: { name: string; value: number }[];
  label: string;
}) => {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const total = rows.reduce((a, r) => a + r.value, 0);
  return (
    <figure class="chart">
      <figcaption>
        <h3>{title}</h3>
      </figcaption>
      {rows.length === 0 ? (
        <p class="muted">{t('nothing')}</p>
      ) : (
        <table class="bars">
          <thead>
            <tr>
              <th scope="col">{label}</th>
              <th scope="col" class="num">
                {t('size')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">
                  <span class="bar" style={{ width: `${(r.value / max) * 100}%` }} aria-hidden="true" />
                  <span class="bar-label">{r.name}</span>
                </th>
                <td class="num">
                  {num(r.value)} <span class="muted">({total ? Math.round((r.value / total) * 100) : 0} %)</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
};
