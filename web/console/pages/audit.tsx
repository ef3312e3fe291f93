import { useState } from 'preact/hooks';
import { get, query, shopPath } from '../api';
import { ErrorNote, Field, Loading, Section } from '../components';
import { useLoad } from '../components';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { AuditItem } from '../types';

const actions = [
  'program.updated',
  'points.adjusted',
  'reward.redeemed',
  'referral.approved',
  'referral.rejected',
  'user.invited',
  'user.updated',
  'user.removed',
  'api_key.rotated',
  'webhook_secret.rotated',
  'storefront_secret.rotated',
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.secret_rotated',
  'suppression.added',
  'suppression.removed',
  'outbox.retried',
  'import.started',
  'redaction.cancelled',
];

type Page = { items: AuditItem[]; nextCursor: string | null };

export const Audit = ({ shopId }: { shopId: string }) => {
  const [action, setAction] = useState('');
  const [extra, setExtra] = useState<AuditItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const first = useLoad(async () => {
    const p = await get<Page>(shopPath(shopId, `/audit${query({ limit: 50, action })}`));
    setExtra([]);
    setCursor(p.nextCursor);
    return p;
  }, [shopId, action]);
  const more = async () => {
    try {
      const p = await get<Page>(shopPath(shopId, `/audit${query({ limit: 50, action, cursor: cursor ?? undefined })}`));
      setExtra([...extra, ...p.items]);
      setCursor(p.nextCursor);
    } catch (e) {
      setError(e);
    }
  };
  const items = [...(first.data?.items ?? []), ...extra];
  return (
    <>
      <h1>{t('audit')}</h1>
      <div class="filter">
        <Field label={t('action')}>
          {(p) => (
            <select {...p} value={action} onChange={(e) => setAction(e.currentTarget.value)}>
              <option value="">{t('allActions')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorNote error={first.error ?? error} />
      {first.loading && !first.data ? <Loading /> : null}
      <Section title={t('audit')}>
        {items.length === 0 && first.data ? <p class="muted">{t('nothing')}</p> : null}
        <ol class="ledger audit">
          {items.map((i) => (
            <li key={i.id}>
              <time dateTime={i.at}>{dateTime(i.at)}</time>
              <div>
                <p>
                  <strong>{i.actor.email ?? i.actor.label}</strong>
                  {i.actor.role ? (
                    <span class="muted"> ({t(`role.${i.actor.role}` as 'role.owner')})</span>
                  ) : null} · <code>{i.action}</code> · {i.summary}
                </p>
                {i.diff && i.diff.length > 0 ? (
                  <ul class="plain diff">
                    {i.diff.map((d) => (
                      <li key={d.path}>
                        <code>{d.path}</code>: <del>{JSON.stringify(d.from)}</del> → <ins>{JSON.stringify(d.to)}</ins>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
        {cursor ? (
          <button type="button" class="secondary" onClick={more}>
            {t('more')}
          </button>
        ) : null}
      </Section>
    </>
  );
};
