import { describe, expect, it } from 'vitest';
import { Pacer } from '../../shared/app/outbox-sender-service';

/** A pacer on a clock the test moves by hand. */
const manual = (start = 1_000) => {
  let t = start;
  const pacer = new Pacer(() => t);
  return {
    pacer,
    advance: (ms: number) => {
      t += ms;
    },
  };
};

const shop = (perSecond: number, key = 'shop:a') => ({ key, perSecond });
const account = (perSecond: number) => ({ key: 'account', perSecond });

describe('Pacer', () => {
  it('does not wait when idle', () => {
    const { pacer } = manual();
    expect(pacer.reserve([shop(10), account(14)])).toBe(0);
    expect(pacer.reserve([])).toBe(0);
  });

  it('spaces sends on one key by 1000 / perSecond ms, reserving each slot', () => {
    const { pacer } = manual();
    expect([0, 1, 2, 3].map(() => pacer.reserve([shop(10)]))).toEqual([0, 100, 200, 300]);
    expect(new Pacer(() => 0).reserve([shop(4)])).toBe(0);
    const slow = manual();
    expect([slow.pacer.reserve([shop(4)]), slow.pacer.reserve([shop(4)])]).toEqual([0, 250]);
  });

  it('counts the wait from now: time passing uses up the spacing', () => {
    const { pacer, advance } = manual();
    expect(pacer.reserve([shop(10)])).toBe(0);
    advance(40);
    expect(pacer.reserve([shop(10)])).toBe(60);
    // That send is at 100; at 150 the next slot is 200.
    advance(110);
    expect(pacer.reserve([shop(10)])).toBe(50);
    // Long after, no wait at all, and the spacing starts again from now.
    advance(10_000);
    expect(pacer.reserve([shop(10)])).toBe(0);
    expect(pacer.reserve([shop(10)])).toBe(100);
  });

  it("keeps keys apart: one shop's sends do not slow another's", () => {
    const { pacer } = manual();
    expect(pacer.reserve([shop(1, 'shop:a')])).toBe(0);
    expect(pacer.reserve([shop(1, 'shop:b')])).toBe(0);
    expect(pacer.reserve([shop(1, 'shop:a')])).toBe(1000);
    expect(pacer.reserve([shop(1, 'shop:b')])).toBe(1000);
  });

  it('the slowest of several limits wins', () => {
    const { pacer } = manual();
    // The shop allows 2/s, the account 10/s: the shop's spacing (500 ms) decides.
    expect([0, 1, 2].map(() => pacer.reserve([shop(2), account(10)]))).toEqual([0, 500, 1000]);
    // The other way round.
    const other = manual();
    expect([0, 1, 2].map(() => other.pacer.reserve([shop(50), account(5)]))).toEqual([0, 200, 400]);
  });

  it('a shared account limit paces shops that are each under their own limit', () => {
    const { pacer } = manual();
    expect(pacer.reserve([shop(10, 'shop:a'), account(2)])).toBe(0);
    expect(pacer.reserve([shop(10, 'shop:b'), account(2)])).toBe(500);
    expect(pacer.reserve([shop(10, 'shop:c'), account(2)])).toBe(1000);
    // Shop a's next send waits for the account (1500), not its own 100 ms.
    expect(pacer.reserve([shop(10, 'shop:a'), account(2)])).toBe(1500);
  });

  it('the slot taken is reserved on every key involved', () => {
    const { pacer } = manual();
    // Held up by the account until 1000 ms from now, shop a's send takes its slot then too.
    pacer.reserve([account(1)]);
    expect(pacer.reserve([shop(10), account(1)])).toBe(1000);
    expect(pacer.reserve([shop(10)])).toBe(1100);
  });

  it('handles fractional spacing without drift', () => {
    const { pacer } = manual(0);
    const waits = Array.from({ length: 7 }, () => pacer.reserve([shop(3)]));
    expect(waits[3]).toBeCloseTo(1000, 9);
    expect(waits[6]).toBeCloseTo(2000, 9);
  });

  it('uses performance.now() by default', () => {
    const pacer = new Pacer();
    expect(pacer.reserve([shop(1)])).toBe(0);
    const wait = pacer.reserve([shop(1)]);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
  });
});
