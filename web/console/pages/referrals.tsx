import { useState } from 'preact/hooks';
import { get, post, shopPath } from '../api';
import { ErrorNote, Loading, Section, Status, useLoad } from '../components';
import { dateTime, money, num, pct } from '../format';
import { reasonText, t } from '../i18n';
import type { HeldReferral, ReferralStats } from '../types';

const who = (p: { customerId: string; email?: string }) => p.email ?? p.customerId;

export const Referrals = ({ shopId, permissions }: { shopId: string; permissions: string[] }) => {
  const held = useLoad(() => get<{ items: HeldReferral[] }>(shopPath(shopId, '/referrals?status=held')), [shopId]);
  const stats = useLoad(
    () =>
      permissions.includes('analytics:read')
        ? get<ReferralStats>(shopPath(shopId, '/referrals/stats'))
        : Promise.resolve(undefined),
    [shopId],
  );
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const decide = async (r: HeldReferral, decision: 'approve' | 'reject') => {
    setError(undefined);
    setDone(undefined);
    try {
      await post(shopPath(shopId, `/referrals/${encodeURIComponent(r.referralId)}/${decision}`));
      setDone(t(decision === 'approve' ? 'approved' : 'rejected'));
      held.reload();
    } catch (e) {
      setError(e);
    }
  };
  const canDecide = permissions.includes('referrals:decide');
  return (
    <>
      <h1>{t('referrals')}</h1>
      <Section title={t('heldQueue')}>
        <ErrorNote error={held.error ?? error} />
        <Status text={done} />
        {held.loading && !held.data ? <Loading /> : null}
        {held.data && held.data.items.length === 0 ? <p class="muted">{t('nothing')}</p> : null}
        {held.data && held.data.items.length > 0 ? (
          <ul class="plain held">
            {held.data.items.map((r) => (
              <li key={r.referralId} class="held-item">
                <dl>
                  <dt>{t('referrer')}</dt>
                  <dd>{who(r.referrer)}</dd>
                  <dt>{t('friend')}</dt>
                  <dd>{who(r.friend)}</dd>
                  <dt>{t('order')}</dt>
                  <dd>{money(r.order.amount, r.order.currency)}</dd>
                  <dt>{t('created')}</dt>
                  <dd>{dateTime(r.createdAt)}</dd>
                  <dt>{t('why')}</dt>
                  <dd>
                    <ul class="plain">
                      {r.reasons.map((x) => (
                        <li key={x.code}>{reasonText(x)}</li>
                      ))}
                    </ul>
                  </dd>
                </dl>
                {canDecide ? (
                  <div class="actions">
                    <button
                      type="button"
                      onClick={() => decide(r, 'approve')}
                      aria-label={`${t('approve')}: ${who(r.friend)}`}
                    >
                      {t('approve')}
                    </button>
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => decide(r, 'reject')}
                      aria-label={`${t('reject')}: ${who(r.friend)}`}
                    >
                      {t('reject')}
                    </button>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
      </Section>
      {stats.data ? (
        <Section title={t('topReferrers')}>
          <p class="muted">
            {t('referralClicks')}: {num(stats.data.clicks)} · {t('conversions')}: {num(stats.data.referredOrders)} ·{' '}
            {pct(stats.data.conversionRate)} · {t('referredRevenue')}:{' '}
            {money(stats.data.referredRevenueMinor, stats.data.currency)}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('customer')}</th>
                  <th scope="col">{t('code')}</th>
                  <th scope="col" class="num">
                    {t('conversions')}
                  </th>
                  <th scope="col" class="num">
                    {t('revenue')}
                  </th>
                  <th scope="col" class="num">
                    {t('points')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.data.topReferrers.map((r) => (
                  <tr key={r.customerId}>
                    <td>
                      <a href={`#/customers/${encodeURIComponent(r.customerId)}`}>{r.customerId}</a>
                    </td>
                    <td>
                      <code>{r.code}</code>
                    </td>
                    <td class="num">{num(r.conversions)}</td>
                    <td class="num">{money(r.revenueMinor, stats.data!.currency)}</td>
                    <td class="num">{num(r.rewardPoints)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : (
        <ErrorNote error={stats.error} />
      )}
    </>
  );
};
