import { expect } from 'vitest';
import { customHeaders } from './payloads';
import type { CreatedShop, TestStack } from './stack';

/** An order of the signed custom webhook (docs/custom-webhook.md), one line of `total`. */
export interface CustomOrder {
  id: string;
  customer: Record<string, unknown>;
  total: string;
  createdAt: string;
  /** Default `order.paid`. */
  type?: string;
  currency?: string;
  sku?: string;
  cancelledAt?: string;
  discountCodes?: string[];
  /** A shipping address in Aarhus on this street (the referral fraud rules compare it). */
  street?: string;
  /** Extra `data` fields (financialStatus, paidAt, shipping, tax, …). */
  data?: Record<string, unknown>;
}

export const customOrderBody = (o: CustomOrder): string =>
  JSON.stringify({
    id: `evt-${o.id}-${o.type ?? 'order.paid'}`,
    type: o.type ?? 'order.paid',
    createdAt: o.createdAt,
    data: {
      id: o.id,
      currency: o.currency ?? 'DKK',
      createdAt: o.createdAt,
      updatedAt: o.cancelledAt ?? o.createdAt,
      ...(o.cancelledAt ? { cancelledAt: o.cancelledAt } : {}),
      customer: o.customer,
      lines: [{ id: '1', sku: o.sku ?? 'MUG', quantity: 1, price: o.total }],
      total: o.total,
      ...(o.discountCodes ? { discountCodes: o.discountCodes } : {}),
      ...(o.street ? { shippingAddress: { address1: o.street, city: 'Aarhus', zip: '8000', countryCode: 'DK' } } : {}),
      ...o.data,
    },
  });

/** Signs and sends a custom webhook body to the shop; the test fails unless it is accepted (200). */
export const sendCustomOrder = async (stack: TestStack, shop: CreatedShop, body: string) => {
  const r = await stack.api('POST', `/webhooks/custom/${shop.shop.id}`, {
    body,
    headers: customHeaders(body, shop.input.webhookSecret),
  });
  expect(r.status, r.text).toBe(200);
  return r.json;
};
