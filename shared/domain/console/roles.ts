/**
 * Console roles and what each may do. The server decides every request by `can(role, permission)`
 * (shared/http/auth.ts); the console only hides what a role cannot use. API keys and the operator
 * hold every permission.
 */
export const roles = ['owner', 'marketer', 'support'] as const;
export type Role = (typeof roles)[number];

export const permissions = [
  // The shop itself and the program (earning rules, rewards, tiers, referral rewards, expiry, e-mail switches).
  'shop:read',
  'program:write',
  // API key, webhook and storefront secrets, outgoing webhook endpoints, imports, shop redactions.
  'keys:manage',
  'users:manage',
  'audit:read',
  // Overview, daily stats, referral stats, e-mail statistics.
  'analytics:read',
  // Nightly runs, segments and their exports.
  'segments:read',
  'segments:run',
  // Customer lookup, adjustments and redemptions with a reason, GDPR exports.
  'customers:read',
  'customers:adjust',
  'customers:export',
  // Held referrals and their decision.
  'referrals:read',
  'referrals:decide',
  // Template previews and overrides, test sends, suppressions, failed sends.
  'emails:read',
  'emails:write',
] as const;
export type Permission = (typeof permissions)[number];

const granted: Record<Role, readonly Permission[]> = {
  owner: permissions,
  marketer: [
    'shop:read',
    'analytics:read',
    'segments:read',
    'segments:run',
    'referrals:read',
    'referrals:decide',
    'emails:read',
    'emails:write',
  ],
  support: [
    'shop:read',
    'customers:read',
    'customers:adjust',
    'customers:export',
    'referrals:read',
    'referrals:decide',
  ],
};

export const can = (role: Role, permission: Permission): boolean => granted[role].includes(permission);

export const permissionsOf = (role: Role): readonly Permission[] => granted[role];
