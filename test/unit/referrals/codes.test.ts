import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  generateCode,
  namePrefix,
  normalizeCode,
  RESERVED_CODES,
  validateVanity,
} from '../../../shared/domain/referrals/codes';

/** A deterministic randomInt from a list of draws (each taken modulo the bound). */
const scripted = (draws: number[]) => {
  let i = 0;
  return (max: number) => (draws[i++ % draws.length] ?? 0) % max;
};
const randomInts = fc.array(fc.nat(), { minLength: 1, maxLength: 16 }).map(scripted);
const AMBIGUOUS = /[01OILU]/;

describe('CODE_ALPHABET', () => {
  it('has no ambiguous characters and no vowels, and no repeats', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(CODE_ALPHABET).not.toMatch(/[AEIOU]/);
    expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
    expect(CODE_ALPHABET).toHaveLength(28);
  });
});

describe('generateCode', () => {
  it('without a name: seven random characters', () => {
    expect(generateCode(scripted([0, 1, 2, 3, 4, 5, 27]))).toBe('234567Z');
    expect(generateCode(scripted([0]))).toBe('2222222');
    expect(generateCode(scripted([0]), { prefix: '李' })).toBe('2222222');
    expect(generateCode(scripted([0]), { prefix: '  ' })).toBe('2222222');
  });

  it('with a first name: up to five folded letters, a digit 2-9, three random characters', () => {
    expect(generateCode(scripted([5, 15, 0, 26]), { prefix: 'Anna' })).toBe('ANNA7K2Y');
    expect(generateCode(scripted([0]), { prefix: 'Zoë' })).toBe('ZOE2222');
    expect(generateCode(scripted([0]), { prefix: 'Jürgen-Wilhelm' })).toBe('JURGE2222');
    expect(generateCode(scripted([7]), { prefix: "o'Brien" })).toBe('OBRIE9999');
    expect(generateCode(scripted([8]), { prefix: 'Søren' })).toBe('SOREN2BBB');
    expect(generateCode(scripted([0]), { prefix: 'J' })).toBe('J2222');
  });

  it('folds names to A-Z only', () => {
    expect(namePrefix('Ærøskøbing')).toBe('AEROS');
    expect(namePrefix('Łukasz')).toBe('LUKAS');
    expect(namePrefix('Strauß')).toBe('STRAU');
    expect(namePrefix('  mary-jane ')).toBe('MARYJ');
    expect(namePrefix('José María')).toBe('JOSEM');
    expect(namePrefix('Ολγα')).toBe('');
    expect(namePrefix(undefined)).toBe('');
  });

  it('uses crypto.randomInt happily', async () => {
    const { randomInt } = await import('node:crypto');
    const codes = new Set(Array.from({ length: 200 }, () => generateCode((n) => randomInt(n))));
    expect(codes.size).toBe(200);
  });

  it('refuses a randomInt that returns out of range', () => {
    expect(() => generateCode(() => 28)).toThrow(RangeError);
    expect(() => generateCode(() => -1)).toThrow(RangeError);
    expect(() => generateCode(() => 0.5)).toThrow(RangeError);
  });

  it('generated codes normalise to themselves (property)', () => {
    fc.assert(
      fc.property(randomInts, fc.option(fc.string()), (rnd, name) => {
        const code = generateCode(rnd, name === null ? {} : { prefix: name });
        return normalizeCode(code) === code;
      }),
    );
  });

  it('random parts never contain ambiguous characters (property)', () => {
    fc.assert(
      fc.property(randomInts, fc.option(fc.string()), (rnd, name) => {
        const code = generateCode(rnd, name === null ? {} : { prefix: name });
        const randomPart = code.slice(namePrefix(name ?? undefined).length);
        expect(randomPart).not.toMatch(AMBIGUOUS);
        expect(randomPart).toMatch(/^[2-9A-Z]+$/);
        expect(randomPart.length).toBe(name === null || namePrefix(name) === '' ? 7 : 4);
        if (namePrefix(name ?? undefined) === '') expect(code).not.toMatch(AMBIGUOUS);
        else expect(randomPart[0]).toMatch(/[2-9]/);
      }),
    );
  });

  it('codes round-trip case-insensitively (property)', () => {
    fc.assert(
      fc.property(randomInts, fc.option(fc.string()), fc.boolean(), (rnd, name, pad) => {
        const code = generateCode(rnd, name === null ? {} : { prefix: name });
        const typed = `${pad ? '  ' : ''}${code.toLowerCase()}${pad ? '\n' : ''}`;
        return normalizeCode(typed) === code && normalizeCode(code.toLowerCase()) === normalizeCode(code);
      }),
    );
  });
});

describe('normalizeCode', () => {
  it('trims and upper-cases', () => {
    expect(normalizeCode('  anna7k2q ')).toBe('ANNA7K2Q');
    expect(normalizeCode('anna-loves-tea')).toBe('ANNA-LOVES-TEA');
  });

  it('rejects other characters and lengths outside 3-24', () => {
    expect(normalizeCode('ab')).toBeUndefined();
    expect(normalizeCode('abc')).toBe('ABC');
    expect(normalizeCode('a'.repeat(24))).toBe('A'.repeat(24));
    expect(normalizeCode('a'.repeat(25))).toBeUndefined();
    for (const bad of [
      '',
      '   ',
      'ANNA 7K2Q',
      'ANNA_7K2Q',
      '10%OFF',
      'ANNA7K2Q!',
      'straße',
      'ǅUR',
      'Ａnna7k2q',
      'anna\u200b7k2q',
    ]) {
      expect(normalizeCode(bad)).toBeUndefined();
    }
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normalizeCode(s);
        return once === undefined || normalizeCode(once) === once;
      }),
    );
  });
});

describe('validateVanity', () => {
  it('accepts letters, digits and dashes, returning the upper-case code', () => {
    expect(validateVanity('anna-loves-tea')).toEqual({ ok: true, value: 'ANNA-LOVES-TEA' });
    expect(validateVanity(' 7up ')).toEqual({ ok: true, value: '7UP' });
    expect(validateVanity('abc')).toEqual({ ok: true, value: 'ABC' });
    expect(validateVanity('a'.repeat(20))).toMatchObject({ ok: true });
  });

  it('rejects bad lengths and characters with a message', () => {
    const failures = [
      'ab',
      'a'.repeat(21),
      'anna loves tea',
      'anna_tea',
      'straße',
      'zoë-1',
      '-anna',
      'anna-',
      'an--na',
      '',
    ];
    for (const input of failures) {
      const r = validateVanity(input);
      expect(r.ok, input).toBe(false);
      if (!r.ok) {
        expect(r.error.kind).toBe('invalid_vanity');
        expect(r.error.message.length).toBeGreaterThan(10);
      }
    }
    expect(validateVanity('-anna')).toEqual({
      ok: false,
      error: { kind: 'invalid_vanity', message: 'A code must start with a letter or a digit' },
    });
  });

  it('rejects reserved words in any case and with dashes', () => {
    for (const word of ['admin', 'ADMIN', 'Test', 'null', 'NuLL', 'te-st', 'undefined', 'boomerang']) {
      const r = validateVanity(word);
      expect(r, word).toMatchObject({ ok: false, error: { kind: 'invalid_vanity' } });
      if (!r.ok) expect(r.error.message).toContain('reserved');
    }
    expect(RESERVED_CODES.has('ADMIN') && RESERVED_CODES.has('TEST') && RESERVED_CODES.has('NULL')).toBe(true);
    expect(validateVanity('admin-anna')).toMatchObject({ ok: true, value: 'ADMIN-ANNA' });
  });

  it('every accepted vanity code is a valid normalised code (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ019-_ ß'.split('')), maxLength: 24 }), (s) => {
        const r = validateVanity(s);
        return !r.ok || (normalizeCode(r.value) === r.value && validateVanity(r.value.toLowerCase()).ok);
      }),
    );
  });
});
