import { makeFormatter, type Formatter } from '../emails/format';
import { palette, type Palette } from './palette';
import { escapeHtml as e } from '../emails/layout';
import type { MeView, ProgramView, StorefrontLocale } from '../../schemas/storefront';

/**
 * The hosted loyalty page (`GET /p/{shopId}`): the widget's content as one server-rendered page,
 * for shops that cannot edit their theme and for the links in our e-mails. No script at all
 * (the CSP forbids it); spending points happens in the widget, which needs a live session.
 */

type Words = {
  title: (shop: string) => string;
  hello: (name: string | null) => string;
  balance: string;
  pending: (n: string, at: string | null) => string;
  expires: (at: string) => string;
  tier: (name: string) => string;
  member: (plan: string, until: string) => string;
  memberEnded: (plan: string, on: string) => string;
  toNext: (needed: string, next: string) => string;
  topTier: string;
  rewards: string;
  affordable: string;
  short: (n: string) => string;
  refer: string;
  referIntro: (summary: string) => string;
  history: string;
  howToEarn: string;
  tiers: string;
  join: string;
  signIn: string;
  points: (n: string) => string;
  orders: (n: string) => string;
  empty: string;
  expired: string;
  done: string;
  birthday: (date: string) => string;
};

const words: Record<StorefrontLocale, Words> = {
  en: {
    title: (shop) => `${shop} rewards`,
    hello: (name) => (name ? `Hi ${name}` : 'Your rewards'),
    balance: 'points to spend',
    pending: (n, at) => `${n} more on the way${at ? `, ready on ${at}` : ''}`,
    expires: (at) => `Your points expire on ${at} unless you earn or spend before then.`,
    tier: (name) => `${name} member`,
    member: (plan, until) => `${plan} member until ${until}`,
    memberEnded: (plan, on) => `Your ${plan} membership ended on ${on}.`,
    toNext: (needed, next) => `${needed} to go to ${next}`,
    topTier: 'You have reached the top tier.',
    rewards: 'Rewards',
    affordable: 'You can get this now',
    short: (n) => `${n} more needed`,
    refer: 'Refer a friend',
    referIntro: (summary) => summary,
    history: 'Recent activity',
    howToEarn: 'How to earn',
    tiers: 'Tiers',
    join: 'Join',
    signIn: 'Sign in',
    points: (n) => `${n} points`,
    orders: (n) => `${n} more orders`,
    empty: 'Nothing yet.',
    expired: 'This link has expired or is not valid. Sign in at the shop to see your points.',
    done: 'Done',
    birthday: (date) => `Your birthday: ${date}`,
  },
  da: {
    title: (shop) => `${shop} fordele`,
    hello: (name) => (name ? `Hej ${name}` : 'Dine fordele'),
    balance: 'point at bruge',
    pending: (n, at) => `${n} mere på vej${at ? `, klar ${at}` : ''}`,
    expires: (at) => `Dine point udløber ${at}, medmindre du optjener eller bruger point inden da.`,
    tier: (name) => `${name}-medlem`,
    member: (plan, until) => `${plan}-medlem til og med ${until}`,
    memberEnded: (plan, on) => `Dit medlemskab af ${plan} sluttede den ${on}.`,
    toNext: (needed, next) => `${needed} mere til ${next}`,
    topTier: 'Du har nået det højeste niveau.',
    rewards: 'Belønninger',
    affordable: 'Du kan få den nu',
    short: (n) => `Mangler ${n}`,
    refer: 'Anbefal en ven',
    referIntro: (summary) => summary,
    history: 'Seneste aktivitet',
    howToEarn: 'Sådan optjener du',
    tiers: 'Niveauer',
    join: 'Bliv medlem',
    signIn: 'Log ind',
    points: (n) => `${n} point`,
    orders: (n) => `${n} ordrer mere`,
    empty: 'Intet endnu.',
    expired: 'Linket er udløbet eller ugyldigt. Log ind i butikken for at se dine point.',
    done: 'Klaret',
    birthday: (date) => `Din fødselsdag: ${date}`,
  },
};

const style = (p: Palette) =>
  `:root{--a:${p.accentText};--b:${p.accent};--on:${p.onAccent}}*{box-sizing:border-box}body{margin:0;background:#f6f5f2;color:#1f1f1f;` +
  'font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}main{max-width:40rem;margin:0 auto;' +
  'padding:1.25rem}header{display:flex;gap:.75rem;align-items:center}header img{max-height:2.5rem;max-width:8rem}' +
  'h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}section>h2:first-child{margin-top:0}section{background:#fff;' +
  'border-radius:.75rem;padding:1rem;margin-top:1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}.big{font-size:2.25rem;' +
  'font-weight:700;color:var(--a)}ul{list-style:none;margin:0;padding:0}li{padding:.5rem 0;border-top:1px solid #eee}' +
  'li:first-child{border-top:0}.muted{color:#555}.bar{height:.5rem;background:#e6e6e6;border-radius:.25rem;' +
  'overflow:hidden}.bar span{display:block;height:100%;background:var(--a)}a{color:var(--a)}code{font-size:1rem;' +
  'word-break:break-all}.row{display:flex;justify-content:space-between;gap:1rem;flex-wrap:wrap}' +
  // A history line keeps its amount beside its words on a narrow screen; the words wrap instead.
  '.nw{flex-wrap:nowrap}.nw>span{min-width:0;overflow-wrap:anywhere}.nw>strong{flex:none}' +
  '.btn{display:inline-block;padding:.6rem 1rem;border-radius:.5rem;background:var(--b);color:var(--on);' +
  'text-decoration:none;margin-right:.5rem}a:focus-visible,.btn:focus-visible{outline:3px solid #1f1f1f;outline-offset:2px}';

/** The paid membership: until when, and its perks; or when it ended. */
const membershipLine = (me: MeView, w: Words, f: Formatter): string => {
  const m = me.membership;
  if (!m) return '';
  return m.status === 'active'
    ? `<p data-part="membership"><strong>${e(w.member(m.name, f.date(m.paidThrough)))}</strong></p>` +
        (m.perks ? `<p class="muted">${e(m.perks)}</p>` : '')
    : `<p class="muted" data-part="membership">${e(w.memberEnded(m.name, f.date(m.status === 'lapsed' ? m.paidThrough : (m.endedAt ?? m.paidThrough))))}</p>`;
};

const memberSections = (me: MeView, w: Words, f: Formatter): string => {
  const n = f.integer;
  const day = f.date;
  const tier = me.tier;
  // Spend is counted in minor units of the shop currency; the other measures are plain counts.
  const needed = (v: number) =>
    tier?.qualifyOn === 'spend'
      ? f.money(v, me.storeCredit.currency)
      : tier?.qualifyOn === 'orders'
        ? w.orders(n(v))
        : w.points(n(v));
  const progress =
    tier && tier.progress.toNext !== null && tier.progress.nextTier
      ? (() => {
          const total = tier.progress.current + tier.progress.toNext;
          const pct = total > 0 ? Math.min(100, Math.round((100 * tier.progress.current) / total)) : 0;
          return (
            `<div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${pct}">` +
            `<span style="width:${pct}%"></span></div><p class="muted">${e(
              w.toNext(needed(tier.progress.toNext), tier.progress.nextTier),
            )}</p>`
          );
        })()
      : tier
        ? `<p class="muted">${e(w.topTier)}</p>`
        : '';
  return [
    `<section aria-labelledby="bal"><h1 id="bal">${e(w.hello(me.customer.firstName))}</h1>`,
    `<p><span class="big" data-part="balance">${n(me.points.balance)}</span> ${e(w.balance)}</p>`,
    me.points.pending > 0
      ? `<p class="muted">${e(w.pending(n(me.points.pending), me.points.pendingSpendableAt ? day(me.points.pendingSpendableAt) : null))}</p>`
      : '',
    me.points.nextExpiry ? `<p class="muted">${e(w.expires(day(me.points.nextExpiry.at)))}</p>` : '',
    tier ? `<h2>${e(w.tier(tier.name))}</h2>${progress}` : '',
    membershipLine(me, w, f),
    '</section>',
    `<section aria-labelledby="rw"><h2 id="rw">${e(w.rewards)}</h2><ul>`,
    ...me.rewards.map(
      (r) =>
        `<li class="row"><span><strong>${e(r.name)}</strong><br><span class="muted">${e(about(r))}</span></span>` +
        `<span>${e(w.points(n(r.pointsCost)))}<br><span class="muted" data-part="reward-state">${e(
          // The weightiest reason it cannot be had (gate, stock, limit), else whether the points reach.
          r.lockedText ??
            (r.soldOut
              ? r.availabilityText!
              : r.remainingForCustomer === 0
                ? r.perCustomerText!
                : [r.affordable ? w.affordable : w.short(n(r.pointsShort)), r.availabilityText]
                    .filter(Boolean)
                    .join(' · ')),
        )}</span></span></li>`,
    ),
    '</ul></section>',
    me.referral
      ? `<section aria-labelledby="rf"><h2 id="rf">${e(w.refer)}</h2><p><code>${e(me.referral.url)}</code></p></section>`
      : '',
    `<section aria-labelledby="hs"><h2 id="hs">${e(w.history)}</h2><ul>`,
    ...(me.history.length
      ? me.history.map(
          (h) =>
            `<li class="row nw"><span>${e(h.text)}<br><span class="muted">${e(day(h.at))}</span></span>` +
            // A zero line (points confirmed: pending became spendable) says its amount in words, as the widget does.
            (h.points ? `<strong>${h.points > 0 ? '+' : ''}${n(h.points)}</strong>` : '') +
            '</li>',
        )
      : [`<li class="muted">${e(w.empty)}</li>`]),
    '</ul></section>',
  ].join('');
};

/** What a reward is, and for an experience when it takes place. */
const about = (r: ProgramView['rewards'][number]): string =>
  r.startsAtText ? `${r.description} · ${r.startsAtText}` : r.description;

/** Who a reward is for and what is left of it, for a visitor not signed in. */
const rewardNote = (r: ProgramView['rewards'][number]): string => {
  const text = [r.requiresText, r.availabilityText].filter(Boolean).join(' · ');
  return text ? `<br><span class="muted" data-part="reward-state">${e(text)}</span>` : '';
};

/** Ways to earn beyond purchases, with what the customer has done; claiming is the widget's (it needs a session). */
const waysList = (p: ProgramView, me: MeView | undefined, w: Words, f: Formatter): string =>
  p.waysToEarn.length
    ? `<ul>${p.waysToEarn
        .map((way) => {
          const done = me?.waysToEarn.find((s) => s.type === way.type)?.done;
          const note =
            way.type === 'birthday' && me?.birthday
              ? w.birthday(me.birthday)
              : done && way.type !== 'birthday'
                ? w.done
                : '';
          return (
            `<li class="row" data-way="${e(way.type)}"><span>${way.url ? `<a href="${e(way.url)}" rel="noopener noreferrer">${e(way.name)}</a>` : e(way.name)}` +
            `${note ? `<br><span class="muted">${e(note)}</span>` : ''}</span><span>${e(w.points(f.integer(way.points)))}</span></li>`
          );
        })
        .join('')}</ul>`
    : '';

const programSections = (p: ProgramView, w: Words, f: Formatter, me: MeView | undefined): string => {
  const n = f.integer;
  const signedIn = !!me;
  return [
    `<section aria-labelledby="earn"><h2 id="earn">${e(w.howToEarn)}</h2><p>${e(p.earning.summary)}</p>`,
    waysList(p, me, w, f),
    p.referral ? `<p>${e(w.referIntro(p.referral.summary))}</p>` : '',
    !signedIn && (p.links.join || p.links.signIn)
      ? `<p>${p.links.join ? `<a class="btn" href="${e(p.links.join)}">${e(w.join)}</a>` : ''}${
          p.links.signIn ? `<a href="${e(p.links.signIn)}">${e(w.signIn)}</a>` : ''
        }</p>`
      : '',
    '</section>',
    !signedIn && p.rewards.length
      ? `<section aria-labelledby="rw"><h2 id="rw">${e(w.rewards)}</h2><ul>${p.rewards
          .map(
            (r) =>
              `<li class="row"><span>${e(r.name)}<br><span class="muted">${e(about(r))}</span>${rewardNote(r)}</span><span>${e(w.points(n(r.pointsCost)))}</span></li>`,
          )
          .join('')}</ul></section>`
      : '',
    p.tiers
      ? `<section aria-labelledby="tr"><h2 id="tr">${e(w.tiers)}</h2><ul>${p.tiers.levels
          .map(
            (l) =>
              `<li><strong>${e(l.name)}</strong> <span class="muted">${e(l.summary)}</span>${l.perks ? `<br>${e(l.perks)}` : ''}</li>`,
          )
          .join('')}</ul></section>`
      : '',
  ].join('');
};

/**
 * The whole page; `me` present means the visitor proved who they are. Dates are written on the
 * shop's calendar (`timeZone`), as in its e-mails.
 */
export const renderLoyaltyPage = (
  program: ProgramView,
  me: MeView | undefined,
  options: { timeZone: string; linkExpired?: boolean },
): string => {
  const w = words[program.locale];
  const f = makeFormatter(program.locale, options.timeZone);
  const logo = program.theme.logoUrl ? `<img src="${e(program.theme.logoUrl)}" alt="">` : '';
  return (
    `<!doctype html><html lang="${program.locale}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">' +
    `<title>${e(w.title(program.shop.name))}</title><style>${style(palette(program.theme.accentColor))}</style></head>` +
    `<body><main><header>${logo}<a href="${e(program.shop.storefrontUrl)}">${e(program.shop.name)}</a></header>` +
    (me ? memberSections(me, w, f) : `<h1>${e(w.title(program.shop.name))}</h1>`) +
    (options.linkExpired ? `<p role="status">${e(w.expired)}</p>` : '') +
    programSections(program, w, f, me) +
    '</main></body></html>'
  );
};
