import type { Permission, Role } from '../../shared/domain/console/roles';

/** The API's answers as the console reads them (docs/console.md and the README's HTTP API table). */
export interface Me {
  user: { email: string; name: string | null };
  shops: { id: string; name: string; role: Role }[];
  shop: { id: string; name: string; currency: string; locale: string } | null;
  role: Role | null;
  permissions: Permission[];
  csrfToken: string;
  session: { idleExpiresAt: string; expiresAt: string };
}

export interface Kpi {
  value: number | null;
  previous: number | null;
}

export interface Overview {
  currency?: string;
  kpis: {
    members: Kpi;
    active90: Kpi;
    repeatPurchaseRate: Kpi;
    memberRevenue: Kpi;
    nonMemberRevenue: Kpi;
    referredRevenue: Kpi;
    redemptionRate: Kpi;
    nps: Kpi;
    /** Outstanding points valued at the program's point value (its cheapest reward); only the current value is kept. */
    pointsLiability: {
      value: { points: number; amount: number; currency: string };
      /** From the nightly run as of the previous period's end; null before there is one. */
      previous: { points: number; amount: number; currency: string } | null;
    };
  };
  distributions: {
    /** In the program's order, with names (`none` only when tiers are off). */
    tiers: { tier: string; name: string; customers: number }[];
    /** Ten buckets of the churn risk score (0–9 … 90–100), from the latest nightly segments. */
    churnRisk: { min: number; max: number; customers: number }[];
    /** Segment sizes per succeeded nightly run, oldest first. */
    segments: { asOf: string; jobId: string; segments: Record<string, number> }[];
    /** The `GET …/emails/stats` answer for the period. */
    emails: { byType: Record<string, EmailFigures> };
  };
}

/** One e-mail type's counters over a period (SES events; opens and clicks are not tracked). */
export interface EmailFigures {
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  failed: number;
}

export interface EmailRow extends EmailFigures {
  type: string;
}

/** One night's loyalty metrics, as `GET …/metrics` lists them (the fields the console shows). */
export interface MetricsDay {
  asOf: string;
  nps: { score: number; responses: number };
  customerLoyaltyIndex: { score: number; responses: number };
  engagementRate: number;
}

export interface DailyStat {
  date: string;
  orders: number;
  revenue: number;
  memberOrders: number;
  memberRevenue: number;
  referredOrders: number;
  referredRevenue: number;
  newCustomers: number;
  repeatCustomers: number;
  pointsIssued: number;
  pointsRedeemed: number;
  pointsExpired: number;
  storeCreditIssued: number;
  storeCreditSpent: number;
  rewardsRedeemed: Record<string, number>;
  referralClicks: number;
  referralOrders: number;
  referralRewardsConfirmed: number;
  emailsSent: Record<string, number>;
}

export interface LedgerEntry {
  entryId: string;
  type: 'earn' | 'confirm' | 'reverse' | 'redeem' | 'expire' | 'adjust';
  at: string;
  points: { available: number; pending: number };
  credit: { available: number; pending: number };
  cause: string;
  orderId?: string;
  reason?: string;
  by?: string;
  rewardId?: string;
}

export interface CustomerRead {
  customer: {
    id: string;
    platformCustomerId: string | null;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    ordersEarned: number;
    createdAt: string;
    lastActivityAt: string | null;
    redacted: boolean;
  };
  points: { balance: number; pending: number; lifetimeEarned: number; expiresAt: string | null };
  storeCredit: { balanceMinor: number; pendingMinor: number; currency: string };
  tier: {
    id: string;
    name: string;
    since: string;
    multiplierPercent: number;
    progress: { current: number; toNext: number | null; nextTier: string | null };
  } | null;
  referral: {
    code: string;
    url: string;
    stats: { clicks: number; conversions: number; rewardPoints: number; clawedBackPoints: number };
    referredBy: unknown;
  } | null;
  /** Paid membership (docs/membership.md); absent from servers older than it. */
  membership?: {
    name: string;
    status: 'active' | 'lapsed' | 'cancelled';
    paidThrough: string;
    endedAt: string | null;
    earningMultiplierPercent: number;
  } | null;
  segment: {
    name: string;
    since: string;
    asOf: string;
    churnRisk: { score: number; band: string };
    pNoPurchase: number | null;
    horizonDays: number | null;
    pAlive: number;
    expectedPurchases90d: number;
    predictedValue12mMinor: number;
    rfm: { r: number; f: number; m: number } | Record<string, unknown>;
  } | null;
  /** From the purchase summary the churn model reads; null before the customer's first order is seen. */
  purchases: {
    orders: number;
    lastOrderAt: string | null;
    daysSinceLastOrder: number | null;
    usualIntervalDays: number | null;
  } | null;
  /** The last 20 settled e-mails to the customer, newest first. */
  emails: {
    id: string;
    type: string;
    status: string;
    createdAt: string;
    sentAt: string | null;
    reason: string | null;
  }[];
  ledger: LedgerEntry[];
  nextCursor: string | null;
}

/** `GET …/customers/{customerRef}/activities`: ways to earn, newest first. */
export interface ActivityPage {
  activities: {
    id: string;
    type: string;
    occurredAt: string;
    source: string;
    status: 'awarded' | 'not_awarded';
    points: number;
    reason: string | null;
  }[];
  nextCursor: string | null;
}

export interface TierHistory {
  /** Newest first (shared/domain/tiers/types.ts TierChange). */
  history: { kind: string; from: string; to: string; at: string; reason: string }[];
}

export interface HeldReferral {
  referralId: string;
  referrer: { customerId: string; email?: string };
  friend: { customerId: string; email?: string };
  status: string;
  reasons: { code: string; message: string }[];
  order: { amount: number; currency: string };
  createdAt: string;
}

export interface ReferralStats {
  currency: string;
  clicks: number;
  uniqueVisitors: number;
  referredOrders: number;
  conversionRate: number;
  referredRevenueMinor: number;
  topReferrers: { customerId: string; code: string; conversions: number; revenueMinor: number; rewardPoints: number }[];
}

export interface JobSummary {
  jobId: string;
  status: string;
  asOf: string;
  startedAt: string;
  completedAt: string | null;
  segments: Record<string, number> | null;
}

export interface JobDetail {
  jobId: string;
  status: string;
  result?: {
    asOf: string;
    segments: Record<string, number>;
    export: { csv: { url: string; expiresAt: string }; json: { url: string; expiresAt: string } };
  };
}

export interface ConsoleUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: string;
  invitedBy: string | null;
  lastSignInAt: string | null;
}

export interface AuditItem {
  id: string;
  at: string;
  actor: { kind: string; label: string; email?: string; role?: string };
  action: string;
  target: string;
  summary: string;
  diff?: { path: string; from: unknown; to: unknown }[];
}

export interface OutboxItem {
  outboxId: string;
  type: string;
  status: string;
  createdAt: string;
  attempts: number;
  reason?: string;
  lastError?: string;
}

export interface SuppressionItem {
  emailHash: string;
  hint: string;
  scope: 'all' | 'marketing';
  reason: string;
  at: string;
}
