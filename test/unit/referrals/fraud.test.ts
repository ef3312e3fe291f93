import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateReferral, type ReferralProgram } from '../../../shared/domain/referrals/fraud';
import type { FraudReason, ReferralContext } from '../../../shared/domain/referrals/types';
import { referralProgramSchema } from '../../../shared/schemas/program';

const DAY = 24 * 60 * 60 * 1000;
const rules = (over: object = {}): ReferralProgram => referralProgramSchema.parse(over);
const defaults = rules();

/** A clean referral: two different people, a new friend, nothing unusual. */
const clean = (): ReferralContext => ({
  referrer: {
    cid: 'i.r1',
    canonicalEmail: 'rita@example.com',
    addressHash: 'addr-r',
    paymentFingerprint: 'pay-r',
    ipHash: 'ip-r',
  },
  friend: {
    cid: 'i.f1',
    canonicalEmail: 'finn@example.com',
    addressHash: 'addr-f',
    paymentFingerprint: 'pay-f',
    ipHash: 'ip-f',
    priorOrders: 0,
  },
  referrerConversionsThisMonth: 0,
  recentConversionsFromIp: 0,
  recentConversionsFromAddress: 0,
  clickAgeMs: 2 * DAY,
});

type Tweak = (c: ReferralContext) => void;
/** One tweak per rule that makes exactly that rule fire. */
const TRIGGERS: Record<FraudReason, { verdict: 'rejected' | 'held'; tweak: Tweak }> = {
  self_referral_customer: {
    verdict: 'rejected',
    tweak: (c) => {
      c.friend.cid = c.referrer.cid;
    },
  },
  self_referral_email: {
    verdict: 'rejected',
    tweak: (c) => {
      c.friend.canonicalEmail = c.referrer.canonicalEmail;
    },
  },
  self_referral_address: {
    verdict: 'held',
    tweak: (c) => {
      c.friend.addressHash = c.referrer.addressHash;
    },
  },
  self_referral_payment: {
    verdict: 'held',
    tweak: (c) => {
      c.friend.paymentFingerprint = c.referrer.paymentFingerprint;
    },
  },
  friend_not_new: {
    verdict: 'rejected',
    tweak: (c) => {
      c.friend.priorOrders = 2;
    },
  },
  referral_loop: {
    verdict: 'rejected',
    tweak: (c) => {
      c.referrer.referredBy = c.friend.cid;
    },
  },
  referrer_monthly_cap: {
    verdict: 'held',
    tweak: (c) => {
      c.referrerConversionsThisMonth = defaults.monthlyCapPerReferrer;
    },
  },
  velocity_ip: {
    verdict: 'held',
    tweak: (c) => {
      c.recentConversionsFromIp = defaults.velocity.maxPerIp;
    },
  },
  velocity_address: {
    verdict: 'held',
    tweak: (c) => {
      c.recentConversionsFromAddress = defaults.velocity.maxPerAddress;
    },
  },
  attribution_window_expired: {
    verdict: 'rejected',
    tweak: (c) => {
      c.clickAgeMs = 31 * DAY;
    },
  },
};
const REASONS = Object.keys(TRIGGERS) as FraudReason[];

const withTweaks = (...reasons: FraudReason[]): ReferralContext => {
  const ctx = clean();
  for (const r of reasons) TRIGGERS[r].tweak(ctx);
  return ctx;
};

describe('evaluateReferral', () => {
  it('approves a clean referral with no findings', () => {
    expect(evaluateReferral(clean(), defaults)).toEqual({ verdict: 'approved', findings: [] });
  });

  it('approves when identities are unknown on both sides', () => {
    const ctx: ReferralContext = {
      referrer: {},
      friend: { priorOrders: 0 },
      referrerConversionsThisMonth: 0,
      recentConversionsFromIp: 0,
      recentConversionsFromAddress: 0,
    };
    expect(evaluateReferral(ctx, defaults)).toEqual({ verdict: 'approved', findings: [] });
  });

  describe.each(REASONS)('%s alone', (reason) => {
    it(`gives ${TRIGGERS[reason].verdict} with one finding and a readable detail`, () => {
      const result = evaluateReferral(withTweaks(reason), defaults);
      expect(result.verdict).toBe(TRIGGERS[reason].verdict);
      expect(result.findings).toHaveLength(1);
      const [f] = result.findings;
      expect(f).toMatchObject({ reason, verdict: TRIGGERS[reason].verdict });
      expect(f?.detail).toMatch(/^[A-Z0-9].{30,}[.)]$/s);
      // marketers see details: no identifiers or hashes in them
      expect(f?.detail).not.toMatch(/i\.r1|i\.f1|rita@|finn@|addr-|pay-|ip-/);
    });
  });

  it('does not match identity fields that are missing or empty on both sides', () => {
    const ctx = clean();
    ctx.referrer = { cid: '', canonicalEmail: undefined, addressHash: '', paymentFingerprint: undefined };
    ctx.friend = { cid: '', canonicalEmail: undefined, addressHash: '', paymentFingerprint: undefined, priorOrders: 0 };
    expect(evaluateReferral(ctx, defaults).findings).toEqual([]);
    const loop = clean();
    loop.referrer.referredBy = undefined;
    loop.friend.cid = undefined;
    expect(evaluateReferral(loop, defaults).verdict).toBe('approved');
  });

  it('referral loop only when the referrer was referred by this very friend', () => {
    const ctx = clean();
    ctx.referrer.referredBy = 'i.someone-else';
    expect(evaluateReferral(ctx, defaults).verdict).toBe('approved');
  });

  it('friend_not_new counts the orders in the detail', () => {
    const one = withTweaks();
    one.friend.priorOrders = 1;
    expect(evaluateReferral(one, defaults).findings[0]?.detail).toContain('1 order before');
    expect(evaluateReferral(withTweaks('friend_not_new'), defaults).findings[0]?.detail).toContain('2 orders');
  });

  it('monthly cap: held from the cap on, not before; the detail names the limit', () => {
    const r = rules({ monthlyCapPerReferrer: 5 });
    const at = (n: number) => evaluateReferral({ ...clean(), referrerConversionsThisMonth: n }, r);
    expect(at(4).verdict).toBe('approved');
    expect(at(5)).toMatchObject({ verdict: 'held', findings: [{ reason: 'referrer_monthly_cap' }] });
    expect(at(50).verdict).toBe('held');
    expect(at(5).findings[0]?.detail).toContain('limit of 5');
  });

  it('velocity: held from maxPerIp / maxPerAddress on, each on its own', () => {
    const r = rules({ velocity: { maxPerIp: 2, maxPerAddress: 4, windowHours: 12 } });
    expect(
      evaluateReferral({ ...clean(), recentConversionsFromIp: 1, recentConversionsFromAddress: 3 }, r).verdict,
    ).toBe('approved');
    const ip = evaluateReferral({ ...clean(), recentConversionsFromIp: 2 }, r);
    expect(ip.findings.map((f) => f.reason)).toEqual(['velocity_ip']);
    expect(ip.findings[0]?.detail).toContain('last 12 hours (limit 2)');
    const address = evaluateReferral({ ...clean(), recentConversionsFromAddress: 4 }, r);
    expect(address).toMatchObject({ verdict: 'held', findings: [{ reason: 'velocity_address' }] });
    expect(
      evaluateReferral({ ...clean(), recentConversionsFromIp: 9, recentConversionsFromAddress: 9 }, r).findings.map(
        (f) => f.reason,
      ),
    ).toEqual(['velocity_ip', 'velocity_address']);
  });

  it('attribution window: exactly the window is still in, a millisecond later is out; unknown clicks pass', () => {
    const r = rules({ attributionWindowDays: 7 });
    expect(evaluateReferral({ ...clean(), clickAgeMs: 7 * DAY }, r).verdict).toBe('approved');
    const late = evaluateReferral({ ...clean(), clickAgeMs: 7 * DAY + 1 }, r);
    expect(late).toMatchObject({ verdict: 'rejected', findings: [{ reason: 'attribution_window_expired' }] });
    expect(late.findings[0]?.detail).toBe(
      'The friend clicked the referral link more than 7 days before ordering; referrals only count for 7 days after the click.',
    );
    expect(evaluateReferral({ ...clean(), clickAgeMs: 40.5 * DAY }, r).findings[0]?.detail).toContain(
      'link 40 days before ordering',
    );
    expect(evaluateReferral({ ...clean(), clickAgeMs: undefined }, r).verdict).toBe('approved');
    // a click "after" the order (clock skew) is not expired
    expect(evaluateReferral({ ...clean(), clickAgeMs: -5_000 }, r).verdict).toBe('approved');
    // default window is 30 days
    expect(evaluateReferral({ ...clean(), clickAgeMs: 30 * DAY }, defaults).verdict).toBe('approved');
    expect(evaluateReferral({ ...clean(), clickAgeMs: 31 * DAY }, defaults).verdict).toBe('rejected');
  });

  it('the household case: same address only is held, not rejected', () => {
    expect(evaluateReferral(withTweaks('self_referral_address'), defaults).verdict).toBe('held');
    expect(evaluateReferral(withTweaks('self_referral_address', 'self_referral_payment'), defaults)).toMatchObject({
      verdict: 'held',
      findings: [{ reason: 'self_referral_address' }, { reason: 'self_referral_payment' }],
    });
  });

  it('rejected wins over held, and every finding is listed in rule order', () => {
    const all = evaluateReferral(withTweaks(...REASONS), defaults);
    expect(all.verdict).toBe('rejected');
    expect(all.findings.map((f) => f.reason)).toEqual(REASONS);
    expect(evaluateReferral(withTweaks('velocity_ip', 'friend_not_new'), defaults)).toMatchObject({
      verdict: 'rejected',
      findings: [
        { reason: 'friend_not_new', verdict: 'rejected' },
        { reason: 'velocity_ip', verdict: 'held' },
      ],
    });
    expect(
      evaluateReferral(withTweaks('self_referral_customer', 'self_referral_email'), defaults).findings.map(
        (f) => f.reason,
      ),
    ).toEqual(['self_referral_customer', 'self_referral_email']);
  });

  it('verdict is rejected iff a rejecting rule fired, else held iff any fired (property over all combinations)', () => {
    fc.assert(
      fc.property(fc.subarray(REASONS), (reasons) => {
        const { verdict, findings } = evaluateReferral(withTweaks(...reasons), defaults);
        expect(findings.map((f) => f.reason).sort()).toEqual([...reasons].sort());
        for (const f of findings) expect(f.verdict).toBe(TRIGGERS[f.reason].verdict);
        const expected = reasons.some((r) => TRIGGERS[r].verdict === 'rejected')
          ? 'rejected'
          : reasons.length > 0
            ? 'held'
            : 'approved';
        expect(verdict).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('does not mutate its inputs', () => {
    const ctx = withTweaks(...REASONS);
    const before = structuredClone(ctx);
    const r = rules();
    evaluateReferral(ctx, r);
    expect(ctx).toEqual(before);
    expect(r).toEqual(rules());
  });
});
