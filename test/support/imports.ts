import type { ApiResponse, Api } from './stack';

/** One line of a custom-jsonl history file: a signed-format `order.paid` body. */
export const customOrderLine = (o: {
  orderId: string;
  customerId?: string;
  email?: string;
  at: string;
  /** Decimal string in `currency`, one line. */
  amount: string;
  currency?: string;
  type?: 'order.paid' | 'order.refunded' | 'order.cancelled';
  refund?: string;
}): string =>
  JSON.stringify({
    id: `evt-${o.orderId}-${o.type ?? 'order.paid'}`,
    type: o.type ?? 'order.paid',
    createdAt: o.at,
    data: {
      id: o.orderId,
      currency: o.currency ?? 'DKK',
      createdAt: o.at,
      ...(o.type && o.type !== 'order.paid'
        ? { updatedAt: new Date(Date.parse(o.at) + 86_400_000).toISOString() }
        : {}),
      customer: { ...(o.customerId ? { id: o.customerId } : {}), ...(o.email ? { email: o.email } : {}) },
      lines: [{ id: 'l1', quantity: 1, price: o.amount }],
      total: o.amount,
      ...(o.refund
        ? {
            refunds: [
              {
                id: `r-${o.orderId}`,
                createdAt: new Date(Date.parse(o.at) + 86_400_000).toISOString(),
                amount: o.refund,
              },
            ],
          }
        : {}),
    },
  });

/** Polls an import until it is completed or failed. */
export const waitForImport = async (
  api: Api,
  key: string,
  shopId: string,
  importId: string,
  timeoutMs = 180_000,
): Promise<ApiResponse> => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api('GET', `/admin/shops/${shopId}/imports/${importId}`, { key });
    if (res.status !== 200) throw new Error(`GET import: ${res.status} ${res.text}`);
    if (res.json.status === 'completed' || res.json.status === 'failed') return res;
    if (Date.now() > until) throw new Error(`import ${importId} still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
