import { useState } from 'preact/hooks';
import { ApiError, post } from '../api';
import { ErrorNote, Field } from '../components';
import { t } from '../i18n';
import { chooseShop, signOut } from '../session';
import type { Me } from '../types';

/** E-mail address → `POST /console/auth/request` → "check your e-mail" (the link signs in). */
export const SignIn = () => {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [invalid, setInvalid] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setInvalid(undefined);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
      setInvalid(t('email'));
      return;
    }
    setBusy(true);
    try {
      await post('/console/auth/request', { email: email.trim() });
      setSentTo(email.trim());
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) setInvalid(err.issues[0]?.message ?? err.message);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (sentTo) {
    return (
      <div class="narrow card" data-view="check-email">
        <h1 tabIndex={-1} ref={(el) => el?.focus()}>
          {t('checkEmail')}
        </h1>
        <p>{t('checkEmailBody', { email: sentTo })}</p>
        <button type="button" class="secondary" onClick={() => setSentTo(undefined)}>
          {t('useOther')}
        </button>
      </div>
    );
  }
  return (
    <form class="narrow card" onSubmit={submit} noValidate data-view="sign-in">
      <h1>{t('signIn')}</h1>
      <p>{t('signInIntro')}</p>
      <Field label={t('email')} error={invalid}>
        {(p) => (
          <input
            {...p}
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={busy}>
        {t('sendLink')}
      </button>
      <ErrorNote error={error} />
    </form>
  );
};

export const ShopPicker = ({ me }: { me: Me }) => {
  const [error, setError] = useState<unknown>();
  return (
    <div class="narrow card" data-view="shop-picker">
      <h1>{t('pickShop')}</h1>
      <p>{t('pickShopIntro')}</p>
      <ul class="plain stack">
        {me.shops.map((s) => (
          <li key={s.id}>
            <button type="button" class="secondary wide" onClick={() => chooseShop(s.id).catch(setError)}>
              {s.name} <span class="muted">({t(`role.${s.role}`)})</span>
            </button>
          </li>
        ))}
      </ul>
      <p>
        <button type="button" class="link" onClick={() => void signOut(false)}>
          {t('signOut')}
        </button>
      </p>
      <ErrorNote error={error} />
    </div>
  );
};
