import type { CanonicalOrder } from '../../shared/schemas/order';

/** A canonical order with sensible defaults, for domain tests. */
export const canonicalOrder = (over: Partial<CanonicalOrder> & { nets?: number[] } = {}): CanonicalOrder => {
  const { nets = [10_000], ...rest } = over;
  const lines = nets.map((net, i) => ({
    lineId: `L${i + 1}`,
    productId: `P${i + 1}`,
    sku: `SKU-${i + 1}`,
    quantity: 1,
    grossMinor: net,
    discountMinor: 0,
    netMinor: net,
  }));
  const subtotal = lines.reduce((s, l) => s + l.netMinor, 0);
  return {
    platform: 'custom',
    orderId: '1001',
    currency: 'DKK',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-10T10:00:00.000Z',
    financialStatus: 'paid',
    test: false,
    customer: { id: 'c1', email: 'ann@example.com', firstName: 'Ann' },
    lines,
    subtotalAfterDiscountsMinor: subtotal,
    shippingMinor: 4_900,
    taxMinor: 2_500,
    totalMinor: subtotal + 4_900,
    discountCodes: [],
    attributes: {},
    refunds: [],
    ...rest,
  };
};
