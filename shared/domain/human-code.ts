import { randomInt } from 'node:crypto';

const unambiguous = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Human-friendly code without 0/O, 1/I/L: e.g. BMR-7KQ2-XW9P. */
export const humanCode = (prefix: string, groups = 2, size = 4): string =>
  [prefix, ...Array.from({ length: groups }, () => Array.from({ length: size }, () => unambiguous[randomInt(unambiguous.length)]).join(''))].join('-');
