import { createHash } from 'node:crypto';
import type { CanonicalOrder } from '../../schemas/order';
import type { Address, Identity } from './types';

/**
 * Normalisation for the referral fraud rules. Everything here answers one question: "is this
 * the same person / household / connection as that one?" It is never used to deliver mail or
 * ship parcels, so it may fold together things a mailbox or a courier would tell apart.
 *
 * - `canonicalEmail`: see the comment on the function for which providers and why.
 * - `addressHash`: street lines + postcode + country, folded and hashed; names and phone
 *   numbers are ignored (a fraudster changes the name on the parcel, not the door).
 * - `ipHash`: the client IP in one canonical textual form, hashed.
 *
 * Hashes are plain SHA-256 hex of the normalised text. They keep addresses and IPs out of
 * the referral records we show and store, but they are not secret: the IPv4 space is small
 * enough to enumerate, so treat an ipHash as personal data all the same.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Domains whose mailboxes ignore dots in the local part; googlemail.com is an alias of gmail.com. */
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * An e-mail address in the form used to spot one person behind several addresses.
 *
 * - Whitespace removed (an address cannot contain any; pasted ones sometimes do) and
 *   lower-cased (local parts are case-insensitive at every provider that matters).
 * - A `+tag` is cut from the local part for **every** domain. Plus-addressing ("sub-addressing")
 *   is honoured by Gmail, Outlook/Hotmail, iCloud, Fastmail, Proton, Zoho and most self-hosted
 *   servers, and it is the standard trick for "new" addresses that land in the same inbox.
 *   Two different people whose addresses differ only after a `+` are vanishingly rare, and
 *   a false match only blocks a self-referral reward, never an order or an e-mail.
 * - Only for gmail.com / googlemail.com: dots in the local part are removed (Gmail ignores
 *   them: a.nna@gmail.com is anna@gmail.com) and googlemail.com becomes gmail.com (the same
 *   mailboxes). Other providers treat dots as significant (john.smith@outlook.com and
 *   johnsmith@outlook.com are different people), so dots are kept there.
 * - Yahoo's `-` disposable addresses are not folded: `-` is common in real local parts.
 *
 * If stripping would leave an empty local part (e.g. "+x@gmail.com") the address is returned
 * only without whitespace and lower-cased. Idempotent: canonicalEmail(canonicalEmail(x)) === canonicalEmail(x).
 */
export const canonicalEmail = (email: string): string => {
  const lowered = email.replace(/\s+/g, '').toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at < 0) return lowered;
  let local = lowered.slice(0, at);
  let domain = lowered.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus >= 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  if (local === '') return lowered;
  return `${local}@${domain}`;
};

/** Letters NFKD does not decompose but people routinely write in ASCII. */
const LETTER_FOLDS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Whole-word abbreviations, applied after folding (both spellings end up the same). */
const ABBREVIATIONS: Record<string, string> = {
  street: 'st',
  avenue: 'ave',
  road: 'rd',
  apartment: 'apt',
  boulevard: 'blvd',
  drive: 'dr',
  lane: 'ln',
  suite: 'ste',
  court: 'ct',
  place: 'pl',
};

const dropMarks = (text: string): string => text.normalize('NFKD').replace(/\p{M}+/gu, '');

/**
 * Case-folded (upper- then lower-case, so ß/SS and ς/σ agree), accents folded (NFKD, marks
 * dropped, a few extra letters), punctuation and whitespace runs to one space.
 */
const foldText = (text: string): string =>
  dropMarks(dropMarks(text.toUpperCase().toLowerCase()).toUpperCase().toLowerCase())
    .replace(/[ßæøœłđðþı]/g, (c) => LETTER_FOLDS[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The street lines as one folded string: words abbreviated, then spaces dropped, so "Apt 4-B",
 * "apt. 4b" and "Apt4B" agree. Ordinals (5th, 2nd) stay as written: "5th" is not "fifth".
 */
export const normalizeStreet = (address1: string | undefined, address2: string | undefined): string =>
  foldText(`${address1 ?? ''} ${address2 ?? ''}`)
    .split(' ')
    .map((w) => ABBREVIATIONS[w] ?? w)
    .join('');

/** A postcode without spaces or punctuation, upper-case; US ZIP+4 is cut to the five-digit ZIP. */
export const normalizeZip = (zip: string | undefined, countryCode: string): string => {
  const compact = foldText(zip ?? '')
    .replaceAll(' ', '')
    .toUpperCase();
  if (countryCode === 'US' && /^\d{9}$/.test(compact)) return compact.slice(0, 5);
  return compact;
};

/**
 * SHA-256 hex of the normalised shipping address: address1 + address2 (joined, so "Apt 4" on
 * either line matches), postcode and country code. Name, phone, city and province are ignored:
 * the postcode already pins the place, and city spellings vary far more than postcodes.
 * Undefined when there is too little to match on (no street line or no postcode).
 */
export const addressHash = (address: Address | undefined): string | undefined => {
  if (!address) return undefined;
  const country = foldText(address.countryCode ?? '')
    .replaceAll(' ', '')
    .toUpperCase();
  const street = normalizeStreet(address.address1, address.address2);
  const zip = normalizeZip(address.zip, country);
  if (foldText(address.address1 ?? '') === '' || zip === '') return undefined;
  return sha256(`addr:v1|${street}|${zip}|${country}`);
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Dotted-quad IPv4 without leading zeros, or undefined. */
const parseIpv4 = (text: string): number[] | undefined => {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
};

/** The eight 16-bit groups of an IPv6 address (with an optional trailing dotted IPv4), or undefined. */
const parseIpv6 = (text: string): number[] | undefined => {
  if (!/^[0-9a-f:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  /** `last`: this side ends the address, so it may end in a dotted IPv4. */
  const parseSide = (side: string, last: boolean): number[] | undefined => {
    if (side === '') return [];
    const parts = side.split(':');
    const groups: number[] = [];
    for (const [i, part] of parts.entries()) {
      if (last && i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-f]{1,4}$/.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const left = parseSide(head, tail === undefined);
  const right = tail === undefined ? [] : parseSide(tail, true);
  if (!left || !right) return undefined;
  if (tail === undefined) return left.length === 8 ? left : undefined;
  const missing = 8 - left.length - right.length;
  if (missing < 1) return undefined;
  return [...left, ...new Array<number>(missing).fill(0), ...right];
};

/** RFC 5952 text: lower-case hex, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
const formatIpv6 = (groups: number[]): string => {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
};

/**
 * One textual form per address: IPv4 as a plain dotted quad (also when it arrives as an
 * IPv4-mapped IPv6 address, `::ffff:1.2.3.4` or `::ffff:102:304`, as dual-stack servers report
 * it); IPv6 in RFC 5952 form (lower-case, zeros compressed). Brackets, a `%zone` and
 * surrounding spaces are dropped. Undefined for anything that is not an IP address
 * ("unknown", empty): such values must never make unrelated orders look alike.
 */
export const normalizeIp = (ip: string | undefined): string | undefined => {
  if (ip === undefined) return undefined;
  let text = ip.trim().toLowerCase();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = parseIpv4(text);
  if (v4) return v4.join('.');
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  const mapped = v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff;
  if (mapped) {
    const hi = v6[6] ?? 0;
    const lo = v6[7] ?? 0;
    return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  }
  return formatIpv6(v6);
};

/** SHA-256 hex of the normalised IP (see normalizeIp); undefined when it is not an IP address. */
export const ipHash = (ip: string | undefined): string | undefined => {
  const normalized = normalizeIp(ip);
  return normalized === undefined ? undefined : sha256(normalized);
};

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== '' ? value : undefined);

/**
 * The identity a fraud rule compares, taken from an order. `cid` is the Boomerang customer id
 * (cidFor), passed in because the caller already resolved it. The address is the
 * shipping address, or the billing address when nothing is shipped (digital goods), so both
 * sides of a comparison are built the same way. Only fields that have a value are present.
 */
export const identityFrom = (order: CanonicalOrder, cid: string | undefined): Identity => {
  const identity: Identity = {};
  if (nonEmpty(cid)) identity.cid = cid;
  const email = nonEmpty(order.customer.email);
  if (email && email.includes('@')) identity.canonicalEmail = canonicalEmail(email);
  const address = addressHash(order.shippingAddress) ?? addressHash(order.billingAddress);
  if (address) identity.addressHash = address;
  const fingerprint = nonEmpty(order.paymentFingerprint);
  if (fingerprint) identity.paymentFingerprint = fingerprint;
  const ip = ipHash(order.clientIp);
  if (ip) identity.ipHash = ip;
  return identity;
};
