import type { CustomerRecord } from '../../shared/domain/ledger/customer';
import type { OrderRecord } from '../../shared/domain/ledger/order-record';
import { orderIdOf, planOrderEvent, type Plan } from '../../shared/domain/ledger/plans';
import type { CanonicalOrder, OrderEvent } from '../../shared/schemas/order';
import { programSchema, type Program } from '../../shared/schemas/program';
import { canonicalOrder } from './orders';

/** Fixtures of the paid-membership tests: two plans, paid orders of lines, refunds, and a ledger of plans. */
export const plans = [
  { id: 'vip', name: 'VIP Club', skus: ['VIP'], productIds: ['VIP-P'], multiplierPercent: 200, perks: 'Free shipping' },
  { id: 'vip-year', name: 'VIP Year', skus: ['VIP-Y'], periodMonths: 12, multiplierPercent: 150 },
];
export const program = (membership: Record<string, unknown> = {}, tiers: Record<string, unknown> = {}): Program =>
  programSchema.parse({ membership: { enabled: true, plans, ...membership }, tiers });

export type Line = { sku: string; quantity?: number; netMinor: number };
export const lines = (ls: Line[]): CanonicalOrder['lines'] =>
  ls.map((l, i) => ({
    lineId: `L${i + 1}`,
    productId: `P-${l.sku}`,
    sku: l.sku,
    quantity: l.quantity ?? 1,
    grossMinor: l.netMinor,
    discountMinor: 0,
    netMinor: l.netMinor,
  }));
/** A paid order of the given lines at `at`. */
export const paid = (orderId: string, at: string, ls: Line[], over: Partial<CanonicalOrder> = {}): OrderEvent => {
  const order = canonicalOrder({ orderId, createdAt: at, updatedAt: at, paidAt: at, lines: lines(ls), ...over });
  const subtotal = order.lines.reduce((s, l) => s + l.netMinor, 0);
  return { kind: 'order', topic: 'orders/paid', order: { ...order, totalMinor: subtotal + order.shippingMinor } };
};
export const vip = (orderId: string, at: string, quantity = 1) =>
  paid(orderId, at, [{ sku: 'VIP', quantity, netMinor: 9_900 * quantity }]);
export const refund = (orderId: string, at: string, lineIds: string[] = [], net = 9_900): OrderEvent => ({
  kind: 'refund',
  topic: 'refunds/create',
  orderId,
  refund: {
    refundId: `r-${orderId}-${lineIds.join('-')}`,
    createdAt: at,
    amountMinor: net,
    itemsNetMinor: net,
    lines: lineIds.map((lineId) => ({ lineId, quantity: 1, netMinor: net })),
  },
});

/** Plans deliveries one after another against what the previous plans left, like the ledger. */
export const ledger = (p: Program, timeZone = 'UTC') => {
  let customer: CustomerRecord | undefined;
  const orders = new Map<string, OrderRecord>();
  let n = 0;
  return {
    deliver(event: OrderEvent, now: string): Plan | undefined {
      const orderId = orderIdOf(event)!;
      const plan = planOrderEvent({
        event,
        order: orders.get(orderId),
        customer,
        program: p,
        now,
        entryId: `E${++n}`,
        currency: 'DKK',
        timeZone,
      });
      if (plan?.order) orders.set(orderId, plan.order.next);
      if (plan?.customer) customer = plan.customer.next;
      return plan;
    },
    get customer() {
      return customer!;
    },
    set customer(c: CustomerRecord) {
      customer = c;
    },
    order: (id: string) => orders.get(id),
  };
};
