import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * Referral codes: what a referrer shares and a friend types at checkout.
 *
 * Alphabet. Random characters come from `CODE_ALPHABET`: the digits 2–9 and the consonants
 * except L. Left out, and why:
 * - 0 and O, 1 and I and L: read aloud or in a poor font they are confused with each other;
 * - all vowels (A E I O U): without vowels random characters cannot spell words, so a code
 *   never comes out rude or silly in any language we sell in (Crockford drops only U; we go
 *   further because a shop's referral code ends up on its customers' social posts).
 * That leaves 28 characters: 7 random characters are 28^7 ≈ 1.3 × 10^10 codes.
 *
 * Shape. With a first name: up to 5 letters of the name (A–Z after folding accents, so
 * "Zoë" → ZOE, "Jürgen" → JURGE, "Søren" → SOREN; names in other scripts give none), then a digit 2–9 so the
 * name visibly ends, then 3 random
 * characters: "ANNA7K2Q". The name part is meant to be read as a word, so it may hold
 * letters the random part avoids (O in "ZOE"). Without a usable name (none given, or no
 * Latin letters in it): 7 random characters. The caller checks uniqueness and calls again on
 * a clash (8 × 28³ = 175 616 codes per name prefix; after a few clashes, drop the prefix).
 *
 * Matching is case-insensitive: codes are stored and looked up as `normalizeCode` returns them.
 */

export const CODE_ALPHABET = '23456789BCDFGHJKMNPQRSTVWXYZ';
const DIGITS = '23456789';
export const RANDOM_LENGTH = 7;
export const NAME_PREFIX_MAX = 5;

/** Latin letters NFKD leaves whole, spelt in A–Z (ß is upper-cased to SS already). */
const LETTER_FOLDS: Record<string, string> = { Æ: 'AE', Ø: 'O', Œ: 'OE', Ł: 'L', Đ: 'D', Ð: 'D', Þ: 'TH' };

/** A–Z letters of a name after folding accents ("Søren" → SOREN), upper-case, at most five. */
export const namePrefix = (name: string | undefined): string =>
  (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[ÆØŒŁĐÐÞ]/g, (c) => LETTER_FOLDS[c] ?? c)
    .replace(/[^A-Z]/g, '')
    .slice(0, NAME_PREFIX_MAX);

const pick = (randomInt: (maxExclusive: number) => number, alphabet: string): string => {
  const i = randomInt(alphabet.length);
  const c = Number.isInteger(i) ? alphabet[i] : undefined;
  if (c === undefined) throw new RangeError(`randomInt(${alphabet.length}) returned ${i}`);
  return c;
};

/**
 * A new code. `randomInt(n)` must return a uniformly random integer in [0, n): pass
 * `crypto.randomInt` in production and a seeded function in tests. `prefix` is the
 * referrer's first name (see the shape above).
 */
export const generateCode = (randomInt: (maxExclusive: number) => number, opts: { prefix?: string } = {}): string => {
  const name = namePrefix(opts.prefix);
  if (name === '') {
    let code = '';
    for (let i = 0; i < RANDOM_LENGTH; i += 1) code += pick(randomInt, CODE_ALPHABET);
    return code;
  }
  let code = name + pick(randomInt, DIGITS);
  for (let i = 0; i < 3; i += 1) code += pick(randomInt, CODE_ALPHABET);
  return code;
};

const CODE_TEXT = /^[A-Za-z0-9-]{3,24}$/;

/**
 * A code as typed, pasted or carried in a URL, in the one form codes are stored and looked
 * up in: trimmed and upper-cased. Undefined when it cannot be a code: characters other than
 * ASCII letters, digits and dashes, or a length outside 3–24.
 */
export const normalizeCode = (input: string): string | undefined => {
  const trimmed = input.trim();
  return CODE_TEXT.test(trimmed) ? trimmed.toUpperCase() : undefined;
};

/**
 * Words a vanity code may not be (compared upper-case with dashes removed, so "te-st" is
 * TEST): words that look official or like a placeholder value, which a customer could use
 * to look like staff or which systems print for a missing value.
 */
export const RESERVED_CODES: ReadonlySet<string> = new Set([
  'ADMIN',
  'ADMINISTRATOR',
  'ROOT',
  'SYSTEM',
  'STAFF',
  'OWNER',
  'SUPPORT',
  'HELP',
  'OFFICIAL',
  'MODERATOR',
  'TEST',
  'TESTING',
  'DEMO',
  'EXAMPLE',
  'SAMPLE',
  'NULL',
  'NIL',
  'NONE',
  'UNDEFINED',
  'NAN',
  'TRUE',
  'FALSE',
  'EMPTY',
  'UNKNOWN',
  'DEFAULT',
  'API',
  'WWW',
  'BOOMERANG',
  'REFERRAL',
  'REFER',
  'REF',
  'CODE',
  'COUPON',
  'DISCOUNT',
  'FREE',
  'GIFTCARD',
]);

export interface InvalidVanity {
  kind: 'invalid_vanity';
  message: string;
}

const invalid = (message: string): { ok: false; error: InvalidVanity } => err({ kind: 'invalid_vanity', message });

/**
 * A code a referrer (or the shop for them) chooses, e.g. "ANNA-LOVES-TEA". 3–20 letters,
 * digits and dashes; it must start and end with a letter or digit and have no double dash
 * (so it reads as words and survives being typed); reserved words are refused. Case does not
 * matter: the value is the normalised (upper-case) code. Uniqueness is the caller's check.
 */
export const validateVanity = (input: string): DomainResult<string, InvalidVanity> => {
  const trimmed = input.trim();
  if (trimmed.length < 3 || trimmed.length > 20) return invalid('A code must be 3 to 20 characters long');
  // Checked before upper-casing: 'ß'.toUpperCase() is 'SS', which would slip through.
  if (!/^[A-Za-z0-9-]+$/.test(trimmed)) return invalid('A code may only contain the letters A–Z, digits and dashes');
  const code = trimmed.toUpperCase();
  if (!/^[A-Z0-9]/.test(code)) return invalid('A code must start with a letter or a digit');
  if (!/[A-Z0-9]$/.test(code)) return invalid('A code must end with a letter or a digit');
  if (code.includes('--')) return invalid('A code may not contain two dashes in a row');
  if (RESERVED_CODES.has(code.replaceAll('-', ''))) return invalid(`"${code}" is reserved; choose another code`);
  return ok(code);
};
