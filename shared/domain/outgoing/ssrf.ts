import { isIP } from 'node:net';
import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * Where outgoing webhooks may go (SSRF). An endpoint URL is checked when it is registered (IP
 * literals, names that are internal by construction) and every address its name resolves to is
 * checked again at send time, just before connecting to that very address (the sender pins it,
 * so DNS cannot answer differently in between).
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'unique_local'
  | 'multicast'
  | 'unspecified'
  | 'reserved'
  | 'invalid';

export interface TargetPolicy {
  /**
   * Loopback targets (127/8, ::1, localhost) and plain http are allowed: `npm start` and tests,
   * so a receiver on this machine works (BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK). Never in AWS.
   */
  allowLoopback: boolean;
}

const v4Bytes = (ip: string): number[] => ip.split('.').map(Number);

const v4Kind = (ip: string): AddressKind => {
  const [a, b, c] = v4Bytes(ip) as [number, number, number, number];
  if (a === 0) return a === 0 && ip === '0.0.0.0' ? 'unspecified' : 'reserved';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  // Carrier-grade NAT: not ours, not the internet's.
  if (a === 100 && b >= 64 && b <= 127) return 'private';
  // Includes 169.254.169.254, the instance metadata address.
  if (a === 169 && b === 254) return 'link_local';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved';
  // IETF protocol assignments, documentation ranges and benchmarking.
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved';
  if (a === 198 && (b === 18 || b === 19)) return 'reserved';
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return 'public';
};

/** The eight 16-bit groups of an IPv6 address (an embedded dotted IPv4 tail becomes two groups). */
const v6Groups = (ip: string): number[] | undefined => {
  let s = ip.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const [a, b, c, d] = v4Bytes(dotted[1]!) as [number, number, number, number];
    s = s.slice(0, -dotted[1]!.length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  const groups = [...h, ...Array<number>(fill).fill(0), ...t];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
};

const embeddedV4 = (g: number[]): string => [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');

const v6Kind = (ip: string): AddressKind => {
  const g = v6Groups(ip);
  if (!g) return 'invalid';
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return 'unspecified';
  if (zeros(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96):
  // the IPv4 address inside decides.
  if (zeros(5) && g[5] === 0xffff) return v4Kind(embeddedV4(g));
  if (zeros(6)) return v4Kind(embeddedV4(g));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4Kind(embeddedV4(g));
  if ((g[0]! & 0xfe00) === 0xfc00) return 'unique_local';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link_local';
  // Site-local (deprecated, still routed internally by some networks).
  if ((g[0]! & 0xffc0) === 0xfec0) return 'private';
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved';
  return 'public';
};

/** 4 or 6 for an IP literal (brackets tolerated), undefined for a name. */
export const ipFamily = (host: string): 4 | 6 | undefined => {
  const family = isIP(host.replace(/^\[|\]$/g, '').split('%')[0]!);
  return family === 4 || family === 6 ? family : undefined;
};

/** What kind of address `ip` is (IPv4 or IPv6, brackets and zone ids tolerated). */
export const addressKind = (ip: string): AddressKind => {
  const bare = ip.replace(/^\[|\]$/g, '');
  const family = isIP(bare.split('%')[0]!);
  if (family === 4) return v4Kind(bare);
  if (family === 6) return v6Kind(bare);
  return 'invalid';
};

export const addressAllowed = (ip: string, policy: TargetPolicy): boolean => {
  const kind = addressKind(ip);
  return kind === 'public' || (kind === 'loopback' && policy.allowLoopback);
};

export type TargetError =
  | { kind: 'invalid_url'; message: string }
  | { kind: 'scheme_not_allowed'; message: string }
  | { kind: 'address_not_allowed'; message: string };

/** Names that are internal whatever DNS says (checked at registration; resolution is checked at send). */
const internalName = (host: string) =>
  host === 'localhost' ||
  host.endsWith('.localhost') ||
  host.endsWith('.internal') ||
  host.endsWith('.local') ||
  host.endsWith('.localdomain') ||
  !host.includes('.');

/** The registration check of an endpoint URL; the parsed URL when it may be used. */
export const checkTargetUrl = (raw: string, policy: TargetPolicy): DomainResult<URL, TargetError> => {
  if (!URL.canParse(raw)) return err({ kind: 'invalid_url', message: 'not a URL' });
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowLoopback))
    return err({ kind: 'scheme_not_allowed', message: policy.allowLoopback ? 'http or https only' : 'https only' });
  if (url.username || url.password) return err({ kind: 'invalid_url', message: 'no credentials in the URL' });
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) {
    if (!addressAllowed(host, policy))
      return err({ kind: 'address_not_allowed', message: `${addressKind(host)} address` });
    return ok(url);
  }
  if (internalName(host.replace(/\.$/, ''))) {
    const isLocalhost = host === 'localhost' || host.endsWith('.localhost');
    if (!(isLocalhost && policy.allowLoopback))
      return err({ kind: 'address_not_allowed', message: 'internal host name' });
  }
  return ok(url);
};
