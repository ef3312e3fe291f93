/** A paid membership (program.membership): granted and renewed by paid orders of its product. */
export interface MembershipState {
  planId: string;
  /** `cancelled`: its last payment was refunded or cancelled; `lapsed`: not renewed in time. */
  status: 'active' | 'lapsed' | 'cancelled';
  /** First payment of the current unbroken membership. */
  since: string;
  /** End of the paid period. */
  paidThrough: string;
  /** Payments, newest last, at most 24: what a refund takes back. */
  payments: MembershipPayment[];
  /** The `paidThrough` a renewal-due e-mail was already queued for. */
  renewalWarnedFor?: string;
  endedAt?: string;
}

/** One paid order's share of a membership, keyed by the order. */
export interface MembershipPayment {
  orderId: string;
  /** When the order was paid. */
  at: string;
  months: number;
  /** The plan it paid for; absent on payments of the membership's own plan. */
  planId?: string;
  /** The order's lines that bought it (absent on payments recorded before lines were kept). */
  lineIds?: string[];
}
