import { useState } from 'preact/hooks';
import { ApiError, get, post, shopPath } from '../api';
import { ErrorNote, Field, Loading, Section, Status, errorText, useLoad } from '../components';
import { date, dateTime, money, num, pct } from '../format';
import { t, type Key } from '../i18n';
import { navigate } from '../router';
import type { ActivityPage, CustomerRead, LedgerEntry, TierHistory } from '../types';

/** A ledger entry in plain words. */
export const entryText = (e: LedgerEntry): string => {
  // A confirmation moves points from pending to available (a net 0): what was confirmed is the
  // available part. Redemptions, expiries and reversals read as amounts; adjustments keep their sign.
  const net = e.points.available + e.points.pending;
  const shown = e.type === 'confirm' ? e.points.available : e.type === 'adjust' ? net : Math.abs(net);
  const points = e.type === 'adjust' && net > 0 ? `+${num(shown)}` : num(shown);
  return t(`entry.${e.type}` as Key, {
    points,
    order: e.orderId ?? '–',
    reward: e.rewardId ?? '–',
    by: e.by ?? '–',
    reason: e.reason ?? '–',
  });
};

const customerPath = (shopId: string, ref: string, rest = '') =>
  shopPath(shopId, `/customers/${encodeURIComponent(ref)}${rest}`);

export const Customers = ({
  shopId,
  customerRef,
  permissions,
}: {
  shopId: string;
  customerRef?: string;
  permissions: string[];
}) => {
  const [ref, setRef] = useState(customerRef ?? '');
  return (
    <>
      <h1>{t('customers')}</h1>
      <form
        class="card inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          if (ref.trim()) navigate('customers', ref.trim());
        }}
      >
        <Field label={t('customerRef')}>
          {(p) => <input {...p} type="search" name="ref" value={ref} onInput={(e) => setRef(e.currentTarget.value)} />}
        </Field>
        <button type="submit">{t('search')}</button>
      </form>
      {customerRef ? (
        <Customer key={customerRef} shopId={shopId} customerRef={customerRef} permissions={permissions} />
      ) : null}
    </>
  );
};

const Customer = ({
  shopId,
  customerRef,
  permissions,
}: {
  shopId: string;
  customerRef: string;
  permissions: string[];
}) => {
  const read = useLoad(() => get<CustomerRead>(customerPath(shopId, customerRef)), [shopId, customerRef]);
  const history = useLoad(
    () => get<TierHistory>(customerPath(shopId, customerRef, '/tier-history')),
    [shopId, customerRef],
  );
  const activities = useLoad(
    () => get<ActivityPage>(customerPath(shopId, customerRef, '/activities?limit=20')),
    [shopId, customerRef],
  );
  if (read.loading && !read.data) return <Loading />;
  if (read.error instanceof ApiError && read.error.status === 404)
    return (
      <p class="note" role="alert">
        {t('notFound', { ref: customerRef })}
      </p>
    );
  if (read.error) return <ErrorNote error={read.error} />;
  const c = read.data!;
  const name = [c.customer.firstName, c.customer.lastName].filter(Boolean).join(' ');
  return (
    <div data-view="customer">
      <h2 class="customer-name">
        {name || c.customer.email || c.customer.id}{' '}
        {name && c.customer.email ? <span class="muted">{c.customer.email}</span> : null}
      </h2>
      <ul class="kpis">
        <li class="kpi">
          <span class="kpi-label">{t('balance')}</span>
          <span class="kpi-value">{num(c.points.balance)}</span>
          <span class="kpi-change muted">
            {c.points.expiresAt ? t('expiresAt', { date: date(c.points.expiresAt) }) : t('noExpiry')}
          </span>
        </li>
        <li class="kpi">
          <span class="kpi-label">{t('pending')}</span>
          <span class="kpi-value">{num(c.points.pending)}</span>
          <span class="kpi-change muted">
            {t('lifetime')}: {num(c.points.lifetimeEarned)}
          </span>
        </li>
        <li class="kpi">
          <span class="kpi-label">{t('storeCredit')}</span>
          <span class="kpi-value">{money(c.storeCredit.balanceMinor, c.storeCredit.currency)}</span>
          <span class="kpi-change muted">
            {t('pending')}: {money(c.storeCredit.pendingMinor, c.storeCredit.currency)}
          </span>
        </li>
        <li class="kpi">
          <span class="kpi-label">{t('tier')}</span>
          <span class="kpi-value">{c.tier?.name ?? '–'}</span>
          <span class="kpi-change muted">
            {!c.tier
              ? t('noTiers')
              : c.tier.progress.nextTier
                ? t('tierProgress', { toNext: num(c.tier.progress.toNext), next: c.tier.progress.nextTier })
                : t('topTier')}
          </span>
        </li>
        {c.membership && (
          <li class="kpi">
            <span class="kpi-label">{t('membership')}</span>
            <span class="kpi-value">{c.membership.name}</span>
            <span class="kpi-change muted">
              {c.membership.status === 'active'
                ? t('membershipActive', {
                    date: date(c.membership.paidThrough),
                    percent: c.membership.earningMultiplierPercent,
                  })
                : t(c.membership.status === 'lapsed' ? 'membershipLapsed' : 'membershipCancelled', {
                    date: date(c.membership.endedAt ?? c.membership.paidThrough),
                  })}
            </span>
          </li>
        )}
      </ul>
      <div class="charts">
        <Section title={t('churnRisk')}>
          {c.segment ? (
            <>
              <p>
                <strong>{t('churn', { risk: c.segment.churnRisk.score, segment: c.segment.name })}</strong>
              </p>
              <p class="muted">
                {t('churnWhy', {
                  date: date(c.segment.asOf),
                  purchases: c.segment.expectedPurchases90d.toFixed(1),
                  alive: pct(c.segment.pAlive, 0),
                })}
              </p>
            </>
          ) : (
            <p class="muted">{t('noSegment')}</p>
          )}
          {c.purchases?.daysSinceLastOrder != null ? (
            <p class="rhythm">
              {c.purchases.usualIntervalDays != null
                ? t('rhythm', {
                    orders: num(c.purchases.orders),
                    days: num(c.purchases.daysSinceLastOrder),
                    interval: num(c.purchases.usualIntervalDays),
                  })
                : t('rhythmOne', { days: num(c.purchases.daysSinceLastOrder) })}
            </p>
          ) : null}
        </Section>
        <Section title={t('referral')}>
          {c.referral ? (
            <>
              <p>
                <code>{c.referral.code}</code>
              </p>
              <p class="muted">
                {t('referralLine', {
                  clicks: num(c.referral.stats.clicks),
                  conversions: num(c.referral.stats.conversions),
                  points: num(c.referral.stats.rewardPoints),
                })}
              </p>
            </>
          ) : (
            <p class="muted">–</p>
          )}
        </Section>
      </div>
      {permissions.includes('customers:adjust') ? (
        <Adjust shopId={shopId} customerRef={customerRef} onDone={read.reload} />
      ) : null}
      {permissions.includes('customers:export') ? (
        <p>
          <a class="button secondary" href={customerPath(shopId, customerRef, '/export')} download>
            {t('exportData')}
          </a>
        </p>
      ) : null}
      <Section title={t('ledger')}>
        {c.ledger.length === 0 ? (
          <p class="muted">{t('nothing')}</p>
        ) : (
          <ol class="ledger">
            {c.ledger.map((e) => (
              <li key={e.entryId}>
                <time dateTime={e.at}>{dateTime(e.at)}</time>
                <span>{entryText(e)}</span>
              </li>
            ))}
          </ol>
        )}
      </Section>
      <Section title={t('activities')}>
        <ErrorNote error={activities.error} />
        {activities.data && activities.data.activities.length > 0 ? (
          <ol class="ledger" data-view="activities">
            {activities.data.activities.map((a) => (
              <li key={a.id}>
                <time dateTime={a.occurredAt}>{dateTime(a.occurredAt)}</time>
                <span>
                  <code>{a.type}</code>{' '}
                  {a.status === 'awarded'
                    ? t('activityAwarded', { n: num(a.points) })
                    : t(`activityReason.${a.reason}` as Key)}
                </span>
              </li>
            ))}
          </ol>
        ) : activities.data ? (
          <p class="muted">{t('noActivities')}</p>
        ) : null}
      </Section>
      <Section title={t('tierHistory')}>
        <ErrorNote error={history.error} />
        {history.data && history.data.history.length > 0 ? (
          <ol class="ledger">
            {history.data.history.map((h, i) => (
              <li key={i}>
                <time>{dateTime(h.at)}</time>
                <span>
                  {String(h.from ?? '–')} → {String(h.to ?? '–')}
                  {h.reason ? ` (${String(h.reason)})` : ''}
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">{t('nothing')}</p>
        )}
      </Section>
      <Section title={t('emailsSent')}>
        {c.emails.length === 0 ? (
          <p class="muted">{t('nothing')}</p>
        ) : (
          <ol class="ledger">
            {c.emails.map((m) => (
              <li key={m.id}>
                <time dateTime={m.sentAt ?? m.createdAt}>{dateTime(m.sentAt ?? m.createdAt)}</time>
                <span>
                  {m.type} · {t(`emailStatus.${m.status}` as Key)}
                  {m.reason && m.status !== 'sent' ? ` (${m.reason})` : ''}
                </span>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </div>
  );
};

/** `POST …/adjustments {points, reason}`: a reason is required (it goes in the audit log). */
const Adjust = ({ shopId, customerRef, onDone }: { shopId: string; customerRef: string; onDone: () => void }) => {
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ points?: string; reason?: string }>({});
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(undefined);
    setError(undefined);
    const n = Number(points);
    const next = {
      ...(Number.isInteger(n) && n !== 0 && points.trim() !== '' ? {} : { points: t('pointsRequired') }),
      ...(reason.trim() ? {} : { reason: t('reasonRequired') }),
    };
    setErrors(next);
    if (next.points || next.reason) return;
    try {
      const r = await post<{ points: { balance: number } }>(customerPath(shopId, customerRef, '/adjustments'), {
        points: n,
        reason: reason.trim(),
      });
      setDone(t('adjusted', { balance: num(r.points.balance) }));
      setPoints('');
      setReason('');
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.issues.length) {
        setErrors(Object.fromEntries(err.issues.map((i) => [i.path, i.message])));
      } else setError(err);
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate data-view="adjust">
      <h2>{t('adjust')}</h2>
      <div class="row">
        <Field label={t('adjustPoints')} error={errors.points}>
          {(p) => (
            <input
              {...p}
              name="points"
              inputMode="numeric"
              value={points}
              onInput={(e) => setPoints(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('reason')} error={errors.reason}>
          {(p) => (
            <input
              {...p}
              name="reason"
              required
              maxLength={500}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          )}
        </Field>
      </div>
      <button type="submit">{t('adjust')}</button>
      {error ? (
        <p class="note error" role="alert">
          {errorText(error)}
        </p>
      ) : null}
      <Status text={done} />
    </form>
  );
};
