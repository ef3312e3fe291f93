import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { ContentionError } from '../../../shared/domain/errors';
import { backoffMs, conflict, conflictPolicy, retryOnConflict } from '../../../shared/app/retry';

const at = '2026-01-10T12:00:00Z';

describe('retryOnConflict', () => {
  it('returns the first attempt that wins, pausing with jittered exponential backoff between', async () => {
    const slept: number[] = [];
    const deps = {
      clock: fixedClock(at),
      sleep: async (ms: number) => {
        slept.push(ms);
      },
      random: () => 0.5,
    };
    let calls = 0;
    const result = await retryOnConflict(deps, async (n) => (++calls, n < 3 ? conflict : `won at ${n}`));
    expect(result).toBe('won at 3');
    expect(calls).toBe(4);
    expect(slept).toEqual([5, 10, 20]);
  });

  it('with a fixed clock, the attempt cap still ends the loop with ContentionError', async () => {
    let calls = 0;
    const deps = { clock: fixedClock(at), sleep: async () => undefined, random: () => 0 };
    await expect(retryOnConflict(deps, async () => (++calls, conflict))).rejects.toBeInstanceOf(ContentionError);
    expect(calls).toBe(conflictPolicy.attempts);
  });

  it('stops once the time budget on the injected clock has passed', async () => {
    let now = Date.parse(at);
    let calls = 0;
    const deps = {
      clock: { now: () => new Date(now) },
      sleep: async (ms: number) => {
        now += ms;
      },
      random: () => 0,
    };
    const policy = { ...conflictPolicy, budgetMs: 1_000 };
    await expect(
      retryOnConflict(
        deps,
        async () => {
          calls++;
          now += 300;
          return conflict;
        },
        policy,
      ),
    ).rejects.toBeInstanceOf(ContentionError);
    expect(calls).toBe(4);
  });

  it("gives up the caller's way when asked, and caps the backoff", async () => {
    const deps = { clock: fixedClock(at), sleep: async () => undefined, random: () => 0 };
    expect(
      await retryOnConflict(
        deps,
        async () => conflict,
        { ...conflictPolicy, attempts: 2 },
        () => 'gave up',
      ),
    ).toBe('gave up');
    expect(backoffMs(conflictPolicy, 20, 1)).toBe(conflictPolicy.maxDelayMs);
  });
});
