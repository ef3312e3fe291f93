import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { createLogger } from '../../../shared/adapters/logger';
import type { MailMessage } from '../../../shared/app/ports/mailer';
import {
  getUser,
  inviteUser,
  listUsers,
  removeUser,
  updateUser,
  type UserDeps,
} from '../../../shared/app/user-service';
import type { Shop } from '../../../shared/domain/shop';
import { testRetryDeps } from '../../support/deterministic';
import { memoryUserStore } from '../../support/memory-users';

const at = '2026-12-01T10:00:00.000Z';
const shop = (locale: string) =>
  ({
    id: 's1',
    name: 'Kaffe & Co',
    locale,
    senderEmail: 'hello@kaffe.example',
    program: { emails: { branding: {} } },
  }) as unknown as Shop;

const setup = (options: { failSend?: boolean; beforeWrite?: () => void } = {}) => {
  const { store, users } = memoryUserStore({ beforeWrite: () => options.beforeWrite?.() });
  const sent: MailMessage[] = [];
  const errors: unknown[] = [];
  let n = 0;
  const logger = {
    ...createLogger('silent'),
    error: (m: string, d?: Record<string, unknown>) => errors.push({ m, d }),
  };
  const deps: UserDeps = {
    users: store,
    mailer: {
      async send(m) {
        if (options.failSend) throw new Error('SES is down');
        sent.push(m);
        return { messageId: 'm' };
      },
    },
    clock: fixedClock(at),
    newId: () => `U${String(++n).padStart(3, '0')}`,
    ...testRetryDeps(),
    logger,
    consoleUrl: 'https://boomerang.example/console',
  };
  return { deps, users, sent, errors };
};

describe('user service', () => {
  it('invites a user with a normalised address and mails the invitation in the shop’s language', async () => {
    const { deps, sent } = setup();
    const r = await inviteUser(deps, shop('da-DK'), 'operator', { email: ' Ann@Example.COM ', role: 'owner' });
    expect(r).toEqual({
      ok: true,
      value: {
        id: 'U001',
        email: 'ann@example.com',
        name: null,
        role: 'owner',
        createdAt: at,
        invitedBy: 'operator',
        lastSignInAt: null,
      },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: ['ann@example.com'], from: '"Kaffe & Co" <hello@kaffe.example>' });
    expect(sent[0]!.subject).toBe('Du er inviteret til Kaffe & Cos loyalitetskonsol');
    expect(sent[0]!.text).toContain('https://boomerang.example/console');
    expect(sent[0]!.html).toContain('Kaffe &amp; Co');

    await inviteUser(deps, shop('en-GB'), 'operator', { email: 'ben@example.com', role: 'support' });
    expect(sent[1]!.subject).toBe("You have been invited to Kaffe & Co's loyalty console");
    expect(sent[1]!.text).toContain('sign in with your e-mail address, ben@example.com');
  });

  it('refuses an address the shop already has, and sends nothing', async () => {
    const { deps, sent } = setup();
    await inviteUser(deps, shop('en'), 'operator', { email: 'ann@example.com', role: 'owner' });
    const again = await inviteUser(deps, shop('en'), 'operator', { email: 'ANN@example.com', role: 'support' });
    expect(again).toEqual({ ok: false, error: { kind: 'user_exists' } });
    expect(sent).toHaveLength(1);
  });

  it('keeps the user when the invitation cannot be sent, and logs it', async () => {
    const { deps, errors } = setup({ failSend: true });
    const r = await inviteUser(deps, shop('en'), 'operator', { email: 'ann@example.com', role: 'owner' });
    expect(r.ok).toBe(true);
    expect(errors).toHaveLength(1);
    expect((await listUsers(deps, shop('en'))).items).toHaveLength(1);
  });

  it('changes a role, refuses to demote or remove the last owner, and answers not_found', async () => {
    const { deps } = setup();
    await inviteUser(deps, shop('en'), 'operator', { email: 'ann@example.com', role: 'owner' });
    await inviteUser(deps, shop('en'), 'operator', { email: 'ben@example.com', role: 'support' });
    expect(await updateUser(deps, shop('en'), 'U001', { role: 'marketer' })).toEqual({
      ok: false,
      error: { kind: 'last_owner' },
    });
    expect(await removeUser(deps, shop('en'), 'U001')).toEqual({ ok: false, error: { kind: 'last_owner' } });
    const promoted = await updateUser(deps, shop('en'), 'U002', { role: 'owner', name: 'Ben' });
    expect(promoted.ok && promoted.value).toMatchObject({
      before: { role: 'support' },
      user: { role: 'owner', name: 'Ben' },
    });
    expect((await removeUser(deps, shop('en'), 'U001')).ok).toBe(true);
    expect(await getUser(deps, shop('en'), 'U001')).toEqual({ ok: false, error: { kind: 'not_found' } });
    expect(await updateUser(deps, shop('en'), 'nope', { name: 'X' })).toEqual({
      ok: false,
      error: { kind: 'not_found' },
    });
  });

  it('re-reads and re-plans when another write wins the race', async () => {
    let raced = false;
    const { deps, users } = setup({
      beforeWrite: () => {
        if (raced) return;
        raced = true;
        const u = users.get('s1/U001')!;
        users.set('s1/U001', { ...u, name: 'Rival', version: u.version + 1 });
      },
    });
    await inviteUser(deps, shop('en'), 'operator', { email: 'ann@example.com', role: 'owner' });
    const r = await updateUser(deps, shop('en'), 'U001', { role: 'owner' });
    expect(r.ok && r.value.user).toMatchObject({ name: 'Rival' });
    expect(users.get('s1/U001')!.version).toBe(3);
  });
});
