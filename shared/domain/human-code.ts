const unambiguous = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Human-friendly code without 0/O, 1/I/L: e.g. BMR-7KQ2-XW9P. `randomInt(n)` must return a
 * uniformly random integer in [0, n): pass node:crypto's (shared/adapters/random.ts) for real codes.
 */
export const humanCode = (randomInt: (maxExclusive: number) => number, prefix: string, groups = 2, size = 4): string =>
  [
    prefix,
    ...Array.from({ length: groups }, () =>
      Array.from({ length: size }, () => unambiguous[randomInt(unambiguous.length)]).join(''),
    ),
  ].join('-');
