import type { MeView, ProgramView } from '../../shared/schemas/storefront';
import { h } from './dom';
import type { Format } from './format';
import type { WidgetState } from './state';

/** What the views can ask the element to do. */
export interface Actions {
  retry(): void;
  askRedeem(rewardId: string): void;
  cancelRedeem(): void;
  confirmRedeem(): void;
  copy(text: string, key: string): void;
  share(url: string): void;
  moreHistory(): void;
  /** Claims a way to earn; for a birthday, the date typed into `#bmr-bday`. */
  claim(type: string): void;
}

export interface ViewContext {
  state: WidgetState;
  f: Format;
  act: Actions;
  canShare: boolean;
}

const section = (title: string | null, ...children: (Node | null | false)[]) =>
  h('section', {}, title ? h('h3', {}, title) : null, ...children);

const loading = ({ f }: ViewContext) => section(null, h('p', { class: 'muted' }, f.t('loading')));

const failed = ({ f, act }: ViewContext) =>
  section(
    null,
    h('p', { class: 'alert' }, f.t('loadFailed')),
    h('button', { type: 'button', class: 'btn ghost', 'data-key': 'retry', onclick: act.retry }, f.t('retry')),
  );

/** The friend's offer, first thing a visitor arriving through a referral link sees. */
const friendOffer = ({ state, f }: ViewContext, program: ProgramView) =>
  state.referralCode && program.referral
    ? h(
        'section',
        { class: 'gift' },
        h('h3', {}, f.t('friendOffer')),
        h('p', {}, f.t('friendOfferText', { n: program.referral.friendDiscountPercent, shop: program.shop.name })),
      )
    : null;

const links = ({ f }: ViewContext, program: ProgramView) => {
  const { join, signIn } = program.links;
  if (!join && !signIn) return null;
  return h(
    'div',
    { class: 'actions' },
    join ? h('a', { class: 'btn', href: join, 'data-key': 'join' }, f.t('join')) : null,
    signIn ? h('a', { class: 'btn ghost', href: signIn, 'data-key': 'signin' }, f.t('signIn')) : null,
  );
};

/**
 * Ways to earn beyond purchases. Signed in, the ones a customer declares themselves get a claim
 * button (a birthday a date field first); the rest say whether they are done for now.
 */
const waysSection = ({ state, f, act }: ViewContext, program: ProgramView, me: MeView | null) => {
  if (!program.waysToEarn.length) return null;
  return section(
    f.t('ways'),
    h(
      'ul',
      {},
      program.waysToEarn.map((w) => {
        const status = me?.waysToEarn.find((s) => s.type === w.type);
        const birthday = w.type === 'birthday';
        const key = `claim:${w.type}`;
        return h(
          'li',
          { 'data-way': w.type },
          h(
            'div',
            { class: 'row' },
            h(
              'div',
              {},
              w.url ? h('a', { href: w.url, target: '_blank', rel: 'noopener noreferrer' }, w.name) : w.name,
            ),
            h('span', { class: 'pts' }, f.t('cost', { n: f.num(w.points) })),
          ),
          birthday && me?.birthday ? h('div', { class: 'muted' }, f.t('birthdaySet', { date: me.birthday })) : null,
          status && status.done && !birthday ? h('div', { class: 'muted' }, f.t('claimed')) : null,
          status && status.claimable
            ? h(
                'div',
                { class: 'actions' },
                birthday ? h('label', { class: 'muted', for: 'bmr-bday' }, f.t('birthdayLabel')) : null,
                birthday
                  ? h('input', {
                      id: 'bmr-bday',
                      inputmode: 'numeric',
                      placeholder: 'MM-DD',
                      maxlength: 5,
                      autocomplete: 'bday',
                      'data-key': 'bday',
                    })
                  : null,
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn',
                    'data-key': key,
                    disabled: state.busy,
                    onclick: () => act.claim(w.type),
                  },
                  birthday ? f.t('save') : f.t('claim'),
                ),
              )
            : null,
        );
      }),
    ),
  );
};

export const anonymousView = (ctx: ViewContext): Node[] => {
  const { state, f } = ctx;
  const program = state.program;
  if (!program) return [state.programFailed ? failed(ctx) : loading(ctx)];
  const { earning, rewards, tiers, referral } = program;
  return [
    state.notice ? section(null, h('p', { class: 'alert', role: 'alert' }, state.notice)) : null,
    friendOffer(ctx, program),
    section(
      f.t('earn'),
      h('p', {}, earning.summary),
      earning.firstOrderBonusPoints > 0 ? h('p', {}, f.t('firstOrder', { n: earning.firstOrderBonusPoints })) : null,
      links(ctx, program),
    ),
    waysSection(ctx, program, null),
    rewards.length
      ? section(
          f.t('rewards'),
          h(
            'ul',
            {},
            rewards
              .slice(0, 5)
              .map((r) =>
                h(
                  'li',
                  { class: 'row' },
                  h(
                    'div',
                    {},
                    h('div', {}, r.name),
                    h('div', { class: 'muted' }, about(r)),
                    rewardNote([r.requiresText, r.availabilityText]),
                  ),
                  h('span', { class: 'pts' }, f.t('cost', { n: f.num(r.pointsCost) })),
                ),
              ),
          ),
        )
      : null,
    tiers && tiers.levels.length > 1
      ? section(
          f.t('tiers'),
          h(
            'ul',
            {},
            tiers.levels.map((l) =>
              h(
                'li',
                {},
                h('div', {}, l.name),
                h('div', { class: 'muted' }, [l.summary, l.perks].filter(Boolean).join(' · ')),
              ),
            ),
          ),
        )
      : null,
    referral && !state.referralCode ? section(f.t('referral'), h('p', {}, referral.summary)) : null,
  ].filter((n): n is HTMLElement => n !== null);
};

const tierSection = ({ f }: ViewContext, me: MeView) => {
  const tier = me.tier;
  if (!tier) return null;
  const { current, toNext, nextTier } = tier.progress;
  // Money comes written by the API, as the rest of its texts: the widget carries no currency rules.
  const amount = (n: number) =>
    tier.qualifyOn === 'spend'
      ? (tier.progress.toNextText ?? f.money(n, me.storeCredit.currency))
      : tier.qualifyOn === 'orders'
        ? f.t(n === 1 ? 'oneOrder' : 'orders', { n: f.num(n) })
        : f.t('cost', { n: f.num(n) });
  const percent = toNext === null ? 100 : Math.round((100 * current) / Math.max(1, current + toNext));
  return section(
    null,
    h('p', {}, h('strong', {}, f.t('tier', { tier: tier.name }))),
    toNext !== null && nextTier
      ? h(
          'div',
          {
            class: 'bar',
            role: 'progressbar',
            'aria-valuemin': 0,
            'aria-valuemax': 100,
            'aria-valuenow': percent,
            'aria-label': f.t('progressLabel', { tier: nextTier }),
          },
          h('i', { style: `width:${percent}%` }),
        )
      : null,
    h(
      'p',
      { class: 'muted' },
      toNext !== null && nextTier ? f.t('toNext', { n: amount(toNext), tier: nextTier }) : f.t('topTier'),
    ),
    tier.perks ? h('p', { class: 'muted' }, tier.perks) : null,
  );
};

/** The paid membership: its plan, how long it is paid for and its perks; or when it ended. */
const membershipSection = ({ f }: ViewContext, me: MeView) => {
  const m = me.membership;
  if (!m) return null;
  return m.status === 'active'
    ? section(
        null,
        h(
          'p',
          { 'data-part': 'membership' },
          h('strong', {}, f.t('member', { plan: m.name, date: f.date(m.paidThrough) })),
        ),
        m.perks ? h('p', { class: 'muted' }, m.perks) : null,
      )
    : section(
        null,
        h(
          'p',
          { class: 'muted', 'data-part': 'membership' },
          f.t('memberEnded', {
            plan: m.name,
            date: f.date(m.status === 'lapsed' ? m.paidThrough : (m.endedAt ?? m.paidThrough)),
          }),
        ),
      );
};

const redeemedNotice = ({ state, f, act }: ViewContext) => {
  const done = state.redeemed;
  if (!done) return null;
  const { redemption } = done.response;
  if (redemption.code) {
    return h(
      'div',
      { class: 'gift', 'data-part': 'redemption' },
      h('p', {}, f.t('yourCode', { reward: done.rewardName })),
      h(
        'div',
        { class: 'code' },
        h('code', { 'data-part': 'code' }, redemption.code),
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            'data-key': 'copy-code',
            onclick: () => act.copy(redemption.code!, 'copy-code'),
          },
          f.t('copyCode'),
        ),
      ),
    );
  }
  return h(
    'p',
    { 'data-part': 'redemption' },
    f.t('credited', { value: f.money(redemption.valueMinor, redemption.currency) }),
  );
};

/** What a reward is, and for an experience when it takes place. */
const about = (r: { description: string; startsAtText: string | null }) =>
  r.startsAtText ? `${r.description} · ${r.startsAtText}` : r.description;

/** A reward's state in words (tier or membership gate, stock, limit), or nothing when there is none. */
const rewardNote = (parts: (string | null)[]) => {
  const text = parts.filter(Boolean).join(' · ');
  return text ? h('div', { class: 'muted', 'data-part': 'reward-note' }, text) : null;
};

const rewardsSection = (ctx: ViewContext, me: MeView) => {
  const { state, f, act } = ctx;
  return section(
    f.t('rewards'),
    redeemedNotice(ctx),
    state.notice ? h('p', { class: 'alert', role: 'alert' }, state.notice) : null,
    h(
      'ul',
      {},
      me.rewards.map((r) => {
        const confirming = state.confirming?.rewardId === r.id;
        return h(
          'li',
          { 'data-reward': r.id },
          h(
            'div',
            { class: 'row' },
            h('div', {}, h('div', {}, r.name), h('div', { class: 'muted' }, about(r))),
            confirming
              ? null
              : h(
                  'button',
                  {
                    type: 'button',
                    class: 'btn',
                    'data-key': `redeem:${r.id}`,
                    disabled: !r.redeemable || state.busy,
                    onclick: () => act.askRedeem(r.id),
                  },
                  `${f.t('redeem')} · ${f.num(r.pointsCost)}`,
                ),
          ),
          // Why the button is off, the weightiest reason first; otherwise what is left of it.
          r.lockedText || r.soldOut
            ? rewardNote([r.lockedText ?? r.availabilityText])
            : !r.affordable
              ? rewardNote([f.t('short', { n: f.num(r.pointsShort) }), r.availabilityText])
              : rewardNote([r.availabilityText, r.perCustomerText]),
          confirming
            ? h(
                'div',
                { role: 'group', 'aria-label': r.name },
                h('p', {}, f.t('confirmRedeem', { n: f.num(r.pointsCost), reward: r.name })),
                h(
                  'div',
                  { class: 'actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn',
                      'data-key': 'confirm',
                      disabled: state.busy,
                      onclick: act.confirmRedeem,
                    },
                    state.busy ? f.t('redeeming') : f.t('confirm'),
                  ),
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'btn ghost',
                      'data-key': 'cancel',
                      disabled: state.busy,
                      onclick: act.cancelRedeem,
                    },
                    f.t('cancel'),
                  ),
                ),
              )
            : null,
        );
      }),
    ),
  );
};

const referralSection = ({ f, act, canShare }: ViewContext, me: MeView) => {
  if (!me.referral) return null;
  const url = me.referral.url;
  return section(
    f.t('referral'),
    h('label', { class: 'muted', for: 'bmr-ref' }, f.t('referralLink')),
    h(
      'div',
      { class: 'code' },
      h('input', { id: 'bmr-ref', readonly: true, value: url, 'data-part': 'referral-link' }),
    ),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        { type: 'button', class: 'btn', 'data-key': 'copy-link', onclick: () => act.copy(url, 'copy-link') },
        f.t('copyLink'),
      ),
      canShare
        ? h(
            'button',
            { type: 'button', class: 'btn ghost', 'data-key': 'share', onclick: () => act.share(url) },
            f.t('share'),
          )
        : null,
    ),
  );
};

const historySection = ({ state, f, act }: ViewContext, me: MeView) => {
  const items = [...me.history, ...state.moreHistory];
  return section(
    f.t('history'),
    items.length
      ? h(
          'ul',
          {},
          items.map((i) =>
            h(
              'li',
              { class: 'row' },
              h('div', {}, h('div', {}, i.text), h('div', { class: 'muted' }, f.date(i.at))),
              i.points ? h('span', { class: 'pts' }, f.signed(i.points)) : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, f.t('noHistory')),
    state.nextCursor
      ? h('button', { type: 'button', class: 'btn ghost', 'data-key': 'more', onclick: act.moreHistory }, f.t('more'))
      : null,
  );
};

export const signedInView = (ctx: ViewContext): Node[] => {
  const { state, f } = ctx;
  const me = state.me;
  if (!me) return [state.meFailed ? failed(ctx) : loading(ctx)];
  const { points, storeCredit } = me;
  return [
    section(
      null,
      h('p', {}, me.customer.firstName ? f.t('hello', { name: me.customer.firstName }) : f.t('helloAnonymous')),
      h(
        'div',
        { class: 'balance' },
        h('span', { 'data-part': 'balance' }, f.num(points.balance)),
        ' ',
        h('span', { class: 'muted' }, f.t('points')),
      ),
      points.pending > 0
        ? h(
            'p',
            { class: 'muted' },
            points.pendingSpendableAt
              ? f.t('pendingFrom', { n: f.num(points.pending), date: f.date(points.pendingSpendableAt) })
              : f.t('pending', { n: f.num(points.pending) }),
          )
        : null,
      points.nextExpiry
        ? h(
            'p',
            { class: 'muted' },
            f.t('expiring', { n: f.num(points.nextExpiry.points), date: f.date(points.nextExpiry.at) }),
          )
        : null,
      storeCredit.balanceMinor > 0
        ? h('p', { class: 'muted' }, f.t('storeCredit', { value: storeCredit.balanceText }))
        : null,
    ),
    tierSection(ctx, me),
    membershipSection(ctx, me),
    me.rewards.length ? rewardsSection(ctx, me) : null,
    state.program ? waysSection(ctx, state.program, me) : null,
    referralSection(ctx, me),
    historySection(ctx, me),
  ].filter((n): n is HTMLElement => n !== null);
};
