import { stableJson } from '../stable-json';
import type { Shop } from '../shop';

/** One changed setting: where (`program.earning.pointsPerUnit`, `rewards[1].cost`), before and after. */
export interface Change {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const join = (base: string, key: string) => (base ? `${base}.${key}` : key);

const walk = (path: string, from: unknown, to: unknown, out: Change[]): void => {
  if (isObject(from) && isObject(to)) {
    const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const k of names) walk(join(path, k), from[k], to[k], out);
    return;
  }
  // Lists of the same length are compared item by item; a list that grew or shrank is one change.
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    from.forEach((f, i) => walk(`${path}[${i}]`, f, to[i], out));
    return;
  }
  if (stableJson(from) !== stableJson(to)) out.push({ path, from: from ?? null, to: to ?? null });
};

/**
 * What an edit changed, for the audit log: every leaf path whose value differs, with its value
 * before and after (null where it did not exist), in a stable order. Equal inputs give [].
 */
export const programDiff = (before: unknown, after: unknown): Change[] => {
  const out: Change[] = [];
  walk('', before, after, out);
  return out;
};

/** Bookkeeping that changes with every write, and secrets' timestamps: not settings anyone edited. */
const unaudited = new Set([
  'updatedAt',
  'version',
  'webhookSecretSetAt',
  'previousWebhookSecretValidUntil',
  'storefrontSecretSetAt',
  'previousStorefrontSecretValidUntil',
]);
const secrets = [
  'apiKeyHash',
  'webhookSecret',
  'previousWebhookSecret',
  'storefrontSecret',
  'previousStorefrontSecret',
];

/**
 * What a shop edit (`PATCH /admin/shops/{shopId}`) changed: the program and every other setting,
 * by path. A replaced secret shows as changed with its value hidden.
 */
export const shopSettingsDiff = (before: Shop, after: Shop): Change[] => {
  const visible = (s: Shop) =>
    Object.fromEntries(Object.entries(s).filter(([k]) => !unaudited.has(k) && !secrets.includes(k)));
  const changes = programDiff(visible(before), visible(after));
  for (const k of ['apiKeyHash', 'webhookSecret', 'storefrontSecret'])
    if ((before as unknown as Record<string, unknown>)[k] !== (after as unknown as Record<string, unknown>)[k])
      changes.push({ path: k, from: '(hidden)', to: '(hidden)' });
  return changes;
};
