import type { VelocityRecord } from '../../domain/ledger/plans';
import type { ReferralRecord } from '../../domain/referrals/referral';
import type { Verdict } from '../../domain/referrals/types';

export interface CodeOwner {
  shopId: string;
  cid: string;
  code: string;
  disabled?: boolean;
}

export interface DayStats {
  day: string;
  clicks: number;
  uniqueVisitors: number;
}

/** Reads and small writes of the referral program; ledger-changing writes go through LedgerStore.commit. */
export interface ReferralStore {
  codeOwner(code: string): Promise<CodeOwner | undefined>;
  /** Publishes a customer's code: both items, or neither if the code is taken. */
  publishCode(shopId: string, cid: string, code: string, vanity: boolean, at: string): Promise<'published' | 'taken'>;
  codeClicks(shopId: string, code: string): Promise<number>;
  getReferral(shopId: string, friendCid: string): Promise<ReferralRecord | undefined>;
  getVelocity(shopId: string, kind: 'ip' | 'addr', hash: string): Promise<VelocityRecord | undefined>;
  referralsCreatedBetween(shopId: string, status: Verdict, from: string, to: string): Promise<ReferralRecord[]>;
  dayStats(shopId: string, fromDay: string, toDay: string): Promise<DayStats[]>;
  /** Referrals of one status, newest first, a page at a time (the review queue). */
  listReferrals(
    shopId: string,
    status: Verdict,
    page: { limit: number; cursor?: string },
  ): Promise<{ items: ReferralRecord[]; nextCursor?: string }>;
  /** Turns a code off for good (both items); its link then answers 404. */
  disableCode(shopId: string, code: string): Promise<void>;
  /** Whether someone with this canonical e-mail (hashed) was already referred in the shop. */
  friendReferred(shopId: string, canonicalEmailHash: string): Promise<boolean>;
}
