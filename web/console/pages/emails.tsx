import { useEffect, useState } from 'preact/hooks';
import { ApiError, get, post, request, shopPath } from '../api';
import { ErrorNote, Field, Loading, Section, Status, useLoad } from '../components';
import { dateTime } from '../format';
import { t } from '../i18n';
import { emailTypes, type Program } from '../../../shared/schemas/program';
import type { OutboxItem, SuppressionItem } from '../types';

const locales = ['en', 'da'] as const;
const overrideFields = ['subject', 'heading', 'body', 'cta'] as const;
type Override = Partial<Record<(typeof overrideFields)[number], string>>;

export const Emails = ({ shopId, permissions }: { shopId: string; permissions: string[] }) => {
  const [type, setType] = useState<string>(emailTypes[0]);
  const [previewLocale, setPreviewLocale] = useState<(typeof locales)[number]>('en');
  const canWrite = permissions.includes('emails:write');
  return (
    <>
      <h1>{t('emails')}</h1>
      <Section title={t('templates')}>
        <div class="row">
          <Field label={t('type')}>
            {(p) => (
              <select {...p} value={type} onChange={(e) => setType(e.currentTarget.value)}>
                {emailTypes.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset class="segmented">
            <legend>{t('previewIn')}</legend>
            {locales.map((l) => (
              <label key={l} class="check">
                <input
                  type="radio"
                  name="preview-locale"
                  value={l}
                  checked={previewLocale === l}
                  onChange={() => setPreviewLocale(l)}
                />
                {l === 'en' ? 'English' : 'Dansk'}
              </label>
            ))}
          </fieldset>
        </div>
        <Preview shopId={shopId} type={type} locale={previewLocale} />
        {canWrite ? <TestSend shopId={shopId} type={type} locale={previewLocale} /> : null}
      </Section>
      {canWrite ? <Overrides shopId={shopId} type={type} locale={previewLocale} /> : null}
      <Failed shopId={shopId} canRetry={canWrite} />
      <Suppressions shopId={shopId} canWrite={canWrite} />
    </>
  );
};

const Preview = ({ shopId, type, locale }: { shopId: string; type: string; locale: string }) => {
  const p = useLoad(
    () =>
      get<{ subject: string; html: string; text: string }>(
        shopPath(shopId, `/emails/${type}/preview?locale=${locale}`),
      ),
    [shopId, type, locale],
  );
  if (p.error) return <ErrorNote error={p.error} />;
  if (!p.data) return <Loading />;
  return (
    <div class="email-preview" data-view="email-preview">
      <p>
        <strong>{t('subject')}:</strong> {p.data.subject}
      </p>
      {/* Sandboxed: no script, no same-origin access; the e-mail's own inline styles only. */}
      <iframe title={`${t('preview')}: ${type} (${locale})`} sandbox="" srcDoc={p.data.html} />
    </div>
  );
};

const TestSend = ({ shopId, type, locale }: { shopId: string; type: string; locale: string }) => {
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  return (
    <div>
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          setError(undefined);
          try {
            const r = await post<{ sent: { to: string } }>(shopPath(shopId, `/emails/${type}/test`), { locale });
            setDone(t('testSent', { to: r.sent.to }));
          } catch (e) {
            setError(e);
          }
        }}
      >
        {t('testSend')}
      </button>
      <ErrorNote error={error} />
      <Status text={done} />
    </div>
  );
};

/** PATCH `program.emails.overrides` only (emails:write is enough for that). */
const Overrides = ({ shopId, type, locale }: { shopId: string; type: string; locale: string }) => {
  const shop = useLoad(() => get<{ shop: { program: Program } }>(shopPath(shopId)), [shopId]);
  const [value, setValue] = useState<Override>({});
  const [issues, setIssues] = useState<Map<string, string>>(new Map());
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const all = shop.data?.shop.program.emails.overrides as Record<string, Record<string, Override>> | undefined;
  useEffect(() => setValue(all?.[type]?.[locale] ?? {}), [all, type, locale]);
  if (shop.error) return <ErrorNote error={shop.error} />;
  if (!all) return null;
  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setIssues(new Map());
    const cleaned = Object.fromEntries(Object.entries(value).filter(([, v]) => v && v.trim())) as Override;
    const overrides = { ...all, [type]: { ...(all[type] ?? {}), [locale]: cleaned } };
    try {
      await request('PATCH', shopPath(shopId), { program: { emails: { overrides } } });
      setDone(t('saved'));
      shop.reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.issues.length)
        setIssues(new Map(err.issues.map((i) => [i.path.split('.').pop() ?? i.path, i.message])));
      else setError(err);
    }
  };
  return (
    <form class="card" onSubmit={save} noValidate>
      <h2>
        {t('overrides')}{' '}
        <span class="muted">
          ({type}, {locale})
        </span>
      </h2>
      {overrideFields.map((f) => (
        <Field key={f} label={t(f)} error={issues.get(f)}>
          {(p) =>
            f === 'body' ? (
              <textarea
                {...p}
                rows={5}
                value={value[f] ?? ''}
                onInput={(e) => setValue({ ...value, [f]: e.currentTarget.value })}
              />
            ) : (
              <input
                {...p}
                value={value[f] ?? ''}
                onInput={(e) => setValue({ ...value, [f]: e.currentTarget.value })}
              />
            )
          }
        </Field>
      ))}
      <button type="submit">{t('saveOverride')}</button>
      <ErrorNote error={error} />
      <Status text={done} />
    </form>
  );
};

const Failed = ({ shopId, canRetry }: { shopId: string; canRetry: boolean }) => {
  const list = useLoad(() => get<{ items: OutboxItem[] }>(shopPath(shopId, '/outbox?status=failed')), [shopId]);
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  return (
    <Section title={t('failedSends')}>
      <ErrorNote error={list.error ?? error} />
      <Status text={done} />
      {list.data && list.data.items.length === 0 ? <p class="muted">{t('nothing')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('type')}</th>
                <th scope="col">{t('created')}</th>
                <th scope="col" class="num">
                  {t('attempts')}
                </th>
                <th scope="col">{t('error_')}</th>
                {canRetry ? (
                  <th scope="col">
                    <span class="sr-only">{t('retry')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((o) => (
                <tr key={o.outboxId}>
                  <td>{o.type}</td>
                  <td>{dateTime(o.createdAt)}</td>
                  <td class="num">{o.attempts}</td>
                  <td>{o.reason ?? o.lastError ?? '–'}</td>
                  {canRetry ? (
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        onClick={async () => {
                          try {
                            await post(shopPath(shopId, `/outbox/${encodeURIComponent(o.outboxId)}/retry`));
                            setDone(t('retried'));
                            list.reload();
                          } catch (e) {
                            setError(e);
                          }
                        }}
                      >
                        {t('retry')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Section>
  );
};

const Suppressions = ({ shopId, canWrite }: { shopId: string; canWrite: boolean }) => {
  const list = useLoad(() => get<{ items: SuppressionItem[] }>(shopPath(shopId, '/suppressions')), [shopId]);
  const [email, setEmail] = useState('');
  const [scope, setScope] = useState<'all' | 'marketing'>('all');
  const [error, setError] = useState<unknown>();
  const change = async (method: 'PUT' | 'DELETE') => {
    setError(undefined);
    try {
      await request(
        method,
        shopPath(shopId, `/suppressions/${encodeURIComponent(email.trim())}`),
        method === 'PUT' ? { scope } : undefined,
      );
      setEmail('');
      list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('suppressions')}>
      <ErrorNote error={list.error ?? error} />
      {list.data && list.data.items.length === 0 ? <p class="muted">{t('nothing')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('email')}</th>
                <th scope="col">{t('scope')}</th>
                <th scope="col">{t('reason')}</th>
                <th scope="col">{t('when')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((s) => (
                <tr key={s.emailHash}>
                  <td>{s.hint}</td>
                  <td>{t(`scope.${s.scope}`)}</td>
                  <td>{s.reason}</td>
                  <td>{dateTime(s.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canWrite ? (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (email.trim()) void change('PUT');
          }}
        >
          <Field label={t('email')}>
            {(p) => <input {...p} type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />}
          </Field>
          <Field label={t('scope')}>
            {(p) => (
              <select {...p} value={scope} onChange={(e) => setScope(e.currentTarget.value as 'all' | 'marketing')}>
                <option value="all">{t('scope.all')}</option>
                <option value="marketing">{t('scope.marketing')}</option>
              </select>
            )}
          </Field>
          <div class="actions">
            <button type="submit">{t('addSuppression')}</button>
            <button type="button" class="secondary" onClick={() => email.trim() && void change('DELETE')}>
              {t('unsuppress')}
            </button>
          </div>
        </form>
      ) : null}
    </Section>
  );
};
