import { useEffect, useRef, useState } from 'preact/hooks';
import type { Permission } from '../../shared/domain/console/roles';
import { ErrorNote, Loading } from './components';
import { lang, setLang, t, type Key, type Lang } from './i18n';
import { Audit } from './pages/audit';
import { Customers } from './pages/customers';
import { Emails } from './pages/emails';
import { Overview } from './pages/overview';
import { ProgramEditor } from './pages/program';
import { Referrals } from './pages/referrals';
import { Segments } from './pages/segments';
import { ShopPicker, SignIn } from './pages/sign-in';
import { Users } from './pages/users';
import { href, route } from './router';
import { loadMe, me, signOut } from './session';
import { useSignal } from './signal';
import type { Me } from './types';

/** Each page and the permission it needs (docs/console.md); the server still decides every call. */
const pages: { page: string; label: Key; permission: Permission }[] = [
  { page: 'overview', label: 'overview', permission: 'analytics:read' },
  { page: 'customers', label: 'customers', permission: 'customers:read' },
  { page: 'referrals', label: 'referrals', permission: 'referrals:read' },
  { page: 'program', label: 'program', permission: 'program:write' },
  { page: 'emails', label: 'emails', permission: 'emails:read' },
  { page: 'segments', label: 'segments', permission: 'segments:read' },
  { page: 'users', label: 'users', permission: 'users:manage' },
  { page: 'audit', label: 'audit', permission: 'audit:read' },
];

const LanguagePicker = () => {
  const current = useSignal(lang);
  return (
    <label class="lang">
      <span class="sr-only">{t('language')}</span>
      <select value={current} onChange={(e) => setLang(e.currentTarget.value as Lang)} aria-label={t('language')}>
        <option value="en" lang="en">
          English
        </option>
        <option value="da" lang="da">
          Dansk
        </option>
      </select>
    </label>
  );
};

const focusMain = (e: Event) => {
  e.preventDefault();
  document.getElementById('main')?.focus();
};

const Shell = ({ children, nav }: { children: preact.ComponentChildren; nav?: preact.ComponentChildren }) => (
  <>
    <a class="skip" href="#main" onClick={focusMain}>
      {t('skip')}
    </a>
    <header class="top">
      <span class="brand">{t('appName')}</span>
      <LanguagePicker />
    </header>
    <div class={nav ? 'layout' : 'layout single'}>
      {nav}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  </>
);

const Nav = ({ me: m }: { me: Me }) => {
  const current = useSignal(route);
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [current]);
  return (
    <nav class={`side${open ? ' open' : ''}`} aria-label={t('menu')}>
      <button
        type="button"
        class="menu-toggle secondary"
        aria-expanded={open}
        aria-controls="nav-list"
        onClick={() => setOpen(!open)}
      >
        {t('menu')}
      </button>
      <div id="nav-list" class="nav-body">
        <p class="shop-name">{m.shop?.name}</p>
        <ul class="plain">
          {pages
            .filter((p) => m.permissions.includes(p.permission))
            .map((p) => (
              <li key={p.page}>
                <a href={href(p.page)} aria-current={current.page === p.page ? 'page' : undefined}>
                  {t(p.label)}
                </a>
              </li>
            ))}
        </ul>
        <div class="account">
          <p class="muted">{t('signedInAs', { email: m.user.email })}</p>
          {m.shops.length > 1 ? (
            <button
              type="button"
              class="link"
              onClick={() => {
                sessionStorage.removeItem('boomerang:console:shop');
                me.set({ ...m, shop: null });
              }}
            >
              {t('switchShop')}
            </button>
          ) : null}
          <button type="button" class="link" onClick={() => void signOut(false)}>
            {t('signOut')}
          </button>
          <button type="button" class="link" onClick={() => void signOut(true)}>
            {t('signOutAll')}
          </button>
        </div>
      </div>
    </nav>
  );
};

const Page = ({ me: m }: { me: Me }) => {
  const r = useSignal(route);
  const allowed = pages.filter((p) => m.permissions.includes(p.permission));
  const page = allowed.find((p) => p.page === r.page) ?? allowed[0];
  const mainRef = useRef<string | undefined>(undefined);
  useEffect(() => {
    // A new page: move focus to its heading region so screen readers announce it.
    if (mainRef.current !== undefined && mainRef.current !== r.page) document.getElementById('main')?.focus();
    mainRef.current = r.page;
    document.title = `${page ? t(page.label) : ''} · ${m.shop?.name ?? ''} · Boomerang`;
  }, [r.page, page, m.shop]);
  const shop = m.shop!;
  if (!page) return <p class="note error">{t('forbidden')}</p>;
  if (r.page && r.page !== page.page)
    return (
      <p class="note error" role="alert">
        {t('forbidden')}
      </p>
    );
  switch (page.page) {
    case 'overview':
      return <Overview shopId={shop.id} currency={shop.currency} />;
    case 'customers':
      return <Customers shopId={shop.id} customerRef={r.param} permissions={m.permissions} />;
    case 'referrals':
      return <Referrals shopId={shop.id} permissions={m.permissions} />;
    case 'program':
      return <ProgramEditor shopId={shop.id} currency={shop.currency} />;
    case 'emails':
      return <Emails shopId={shop.id} permissions={m.permissions} />;
    case 'segments':
      return <Segments shopId={shop.id} permissions={m.permissions} />;
    case 'users':
      return <Users shopId={shop.id} self={m.user.email} />;
    default:
      return <Audit shopId={shop.id} />;
  }
};

export const App = () => {
  const m = useSignal(me);
  useSignal(lang);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    document.documentElement.lang = lang.get();
    loadMe().catch(setError);
  }, []);
  if (error)
    return (
      <Shell>
        <ErrorNote error={error} />
      </Shell>
    );
  if (m === undefined)
    return (
      <Shell>
        <Loading />
      </Shell>
    );
  if (m === null)
    return (
      <Shell>
        <SignIn />
      </Shell>
    );
  if (!m.shop)
    return (
      <Shell>
        <ShopPicker me={m} />
      </Shell>
    );
  return (
    <Shell nav={<Nav me={m} />}>
      <Page key={m.shop.id} me={m} />
    </Shell>
  );
};
