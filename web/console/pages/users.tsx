import { useState } from 'preact/hooks';
import { ApiError, get, post, request, shopPath } from '../api';
import { ErrorNote, Field, Loading, Section, Status, useLoad } from '../components';
import { dateTime } from '../format';
import { t } from '../i18n';
import { roles, type Role } from '../../../shared/domain/console/roles';
import type { ConsoleUser } from '../types';

const conflictText = (e: unknown): unknown =>
  e instanceof ApiError && e.code === 'last_owner'
    ? new Error(t('lastOwner'))
    : e instanceof ApiError && e.code === 'user_exists'
      ? new Error(t('userExists'))
      : e;

export const Users = ({ shopId, self }: { shopId: string; self: string }) => {
  const users = useLoad(() => get<{ items: ConsoleUser[] }>(shopPath(shopId, '/users')), [shopId]);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const act = async (f: () => Promise<unknown>, message?: string) => {
    setError(undefined);
    setDone(undefined);
    try {
      await f();
      if (message) setDone(message);
      users.reload();
    } catch (e) {
      setError(conflictText(e));
    }
  };
  return (
    <>
      <h1>{t('users')}</h1>
      <ErrorNote error={users.error ?? error} />
      <Status text={done} />
      <Section title={t('users')}>
        {users.loading && !users.data ? <Loading /> : null}
        {users.data ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('email')}</th>
                  <th scope="col">{t('name')}</th>
                  <th scope="col">{t('role')}</th>
                  <th scope="col">{t('lastSignIn')}</th>
                  <th scope="col">
                    <span class="sr-only">{t('remove')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.data.items.map((u) => (
                  <tr key={u.id}>
                    <td>{u.email}</td>
                    <td>{u.name ?? '–'}</td>
                    <td>
                      <select
                        aria-label={`${t('role')}: ${u.email}`}
                        value={u.role}
                        onChange={(e) =>
                          act(() =>
                            request('PATCH', shopPath(shopId, `/users/${encodeURIComponent(u.id)}`), {
                              role: e.currentTarget.value,
                            }),
                          )
                        }
                      >
                        {roles.map((r) => (
                          <option key={r} value={r}>
                            {t(`role.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{dateTime(u.lastSignInAt)}</td>
                    <td>
                      {u.email !== self ? (
                        <button
                          type="button"
                          class="secondary"
                          aria-label={t('removeUser', { email: u.email })}
                          onClick={() =>
                            act(() => request('DELETE', shopPath(shopId, `/users/${encodeURIComponent(u.id)}`)))
                          }
                        >
                          {t('remove')}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Section>
      <form
        class="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!email.trim()) return;
          void act(
            () =>
              post(shopPath(shopId, '/users'), {
                email: email.trim(),
                role,
                ...(name.trim() ? { name: name.trim() } : {}),
              }),
            t('invited'),
          ).then(() => {
            setEmail('');
            setName('');
          });
        }}
      >
        <h2>{t('invite')}</h2>
        <div class="row">
          <Field label={t('email')}>
            {(p) => (
              <input {...p} type="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
            )}
          </Field>
          <Field label={t('name')}>
            {(p) => <input {...p} value={name} onInput={(e) => setName(e.currentTarget.value)} />}
          </Field>
          <Field label={t('role')}>
            {(p) => (
              <select {...p} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`role.${r}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <button type="submit">{t('invite')}</button>
      </form>
    </>
  );
};
