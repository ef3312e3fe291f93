import { describe, expect, it } from 'vitest';
import { routes } from '../../../infra/routes';
import { operatorOnlyRoutes, routePermissions } from '../../../shared/http/route-permissions';
import { can, permissions, roles } from '../../../shared/domain/console/roles';
import {
  newSession,
  sessionAbsoluteMs,
  sessionIdleMs,
  sessionState,
  touchEveryMs,
} from '../../../shared/domain/console/session';

const shopRoutes = routes.filter((r) => r.path.startsWith('/admin/shops/{shopId}')).map((r) => `${r.method} ${r.path}`);

describe('route permissions', () => {
  it('every shop route names the permission a console user needs', () => {
    expect(shopRoutes.filter((k) => !(k in routePermissions) && !operatorOnlyRoutes.includes(k))).toEqual([]);
  });

  it('names no route that does not exist', () => {
    expect(Object.keys(routePermissions).filter((k) => !shopRoutes.includes(k))).toEqual([]);
  });

  it('owners may do everything; marketers and support only their jobs', () => {
    for (const p of permissions) expect(can('owner', p)).toBe(true);
    expect(can('marketer', 'program:write')).toBe(false);
    expect(can('marketer', 'emails:write')).toBe(true);
    expect(can('marketer', 'referrals:decide')).toBe(true);
    expect(can('marketer', 'customers:adjust')).toBe(false);
    expect(can('support', 'customers:adjust')).toBe(true);
    expect(can('support', 'users:manage')).toBe(false);
    expect(can('support', 'analytics:read')).toBe(false);
    expect(roles).toEqual(['owner', 'marketer', 'support']);
  });
});

describe('session lifetimes', () => {
  const t0 = Date.parse('2026-12-05T08:00:00Z');
  const s = newSession({ idHash: 'h', email: 'a@example.com', csrfToken: 'c' }, t0);

  it('is active until 12 idle hours, and asks for a last-seen write at most every 5 minutes', () => {
    expect(sessionState(s, t0 + touchEveryMs - 1)).toMatchObject({ kind: 'active', touch: false });
    expect(sessionState(s, t0 + touchEveryMs)).toMatchObject({ kind: 'active', touch: true });
    expect(sessionState(s, t0 + sessionIdleMs - 1).kind).toBe('active');
    expect(sessionState(s, t0 + sessionIdleMs).kind).toBe('expired');
  });

  it('ends 7 days after sign-in however active', () => {
    const busy = { ...s, lastSeenAt: new Date(t0 + sessionAbsoluteMs - 60_000).toISOString() };
    expect(sessionState(busy, t0 + sessionAbsoluteMs - 1).kind).toBe('active');
    expect(sessionState(busy, t0 + sessionAbsoluteMs).kind).toBe('expired');
    const late = sessionState(busy, t0 + sessionAbsoluteMs - 30_000);
    expect(late.kind === 'active' && late.idleExpiresAt).toBe(s.expiresAt);
  });
});
