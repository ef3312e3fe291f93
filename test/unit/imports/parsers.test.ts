import { describe, expect, it } from 'vitest';
import { parseBalances } from '../../../shared/domain/imports/balances';
import { parseOrders } from '../../../shared/domain/imports/orders';
import { csvRecords, jsonLines } from '../../../shared/domain/imports/records';
import { reference } from '../../support/payloads';
import { customOrderLine } from '../../support/imports';

const ctx = { shopCurrency: 'USD', receivedAt: new Date('2026-06-01T00:00:00Z') };

describe('csvRecords', () => {
  it('numbers records by the line they start on, through quoted line breaks, CRLF and a BOM', () => {
    const { records, problems } = csvRecords('\uFEFFa,b\r\n"x, ""y""",2\r\n"multi\r\nline",3\r\n\r\nlast,4');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, lastLine: 1, fields: ['a', 'b'] },
      { line: 2, lastLine: 2, fields: ['x, "y"', '2'] },
      { line: 3, lastLine: 4, fields: ['multi\r\nline', '3'] },
      { line: 6, lastLine: 6, fields: ['last', '4'] },
    ]);
  });

  it('reports an unterminated quote at the line it opens', () => {
    expect(csvRecords('a,b\n1,"open\n2,3\n').problems).toEqual([
      { line: 2, message: 'a quoted field is never closed' },
    ]);
  });

  it('jsonLines skips blank lines and keeps numbers', () => {
    expect(jsonLines('\uFEFF{"a":1}\r\n\n  \n{"b":2}')).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 4, text: '{"b":2}' },
    ]);
  });
});

describe('parseBalances', () => {
  it('reads a Smile.io customer export by its headers', () => {
    const csv = 'First name,Last name,Email,Points balance,VIP tier\nAnn,Lee,ANN@Example.com ,1200,Gold\n';
    expect(parseBalances(csv, 'smile')).toEqual({
      rows: [{ line: 2, email: 'ann@example.com', points: 1200, tier: 'Gold', firstName: 'Ann', lastName: 'Lee' }],
      errors: [],
    });
  });

  it('takes LoyaltyLion’s approved points, not pending ones', () => {
    const csv = 'customer_id,email,points_pending,points_approved,points_spent,tier\n9,bo@example.com,50,300,10,\n';
    expect(parseBalances(csv, 'loyaltylion').rows).toEqual([{ line: 2, email: 'bo@example.com', points: 300 }]);
  });

  it('reads a plain file with or without a header and reports bad rows with their lines', () => {
    expect(parseBalances('a@b.co,5,Silver\nc@d.co,6\n', 'plain').rows).toEqual([
      { line: 1, email: 'a@b.co', points: 5, tier: 'Silver' },
      { line: 2, email: 'c@d.co', points: 6 },
    ]);
    const { rows, errors } = parseBalances('email,points\nx@y.co,-5\n,3\nz@y.co,1 000\nok@y.co,7\n', 'plain');
    expect(rows.map((r) => r.email)).toEqual(['ok@y.co']);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(errors[0]!.message).toContain('whole number');
  });

  it('names the missing column when the header does not fit the format', () => {
    expect(parseBalances('mail,balance\na@b.co,1\n', 'loyaltylion').errors).toEqual([
      { line: 1, message: 'the header has no email and no points_approved or approved_points or points column' },
    ]);
  });
});

const shopifyHeader =
  'Name,Email,Financial Status,Paid at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount,Billing Name,Cancelled at,Refunded Amount,Id';

describe('parseOrders: shopify-csv', () => {
  it('groups line-item rows by Name, spreads order discounts over the lines and reads Shopify times', () => {
    const csv = [
      shopifyHeader,
      '#1001,ann@example.com,paid,2025-03-01 10:00:05 +0100,yes,USD,90.00,5.00,0.00,95.00,SAVE10,10.00,2025-03-01 09:59:00 +0100,2,"Mug, large",30.00,MUG,0.00,Ann Lee,,0.00,450789469',
      '#1001,,,,,,,,,,,,,1,Beans,40.00,BEANS,0.00,,,,',
      '#1002,bo@example.com,refunded,2025-03-02 10:00:00 +0000,no,USD,20.00,0.00,0.00,20.00,,0.00,2025-03-02 09:00:00 +0000,1,Tea,20.00,TEA,0.00,Bo,,20.00,450789470',
    ].join('\r\n');
    const { rows, errors } = parseOrders(csv, 'shopify-csv', ctx);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.line, r.lastLine, r.event.order.orderId])).toEqual([
      [2, 3, '450789469'],
      [4, 4, '450789470'],
    ]);
    const o = rows[0]!.event.order;
    expect(o).toMatchObject({
      orderNumber: '#1001',
      createdAt: '2025-03-01T08:59:00.000Z',
      paidAt: '2025-03-01T09:00:05.000Z',
      financialStatus: 'paid',
      customer: { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee', acceptsMarketing: true },
      totalMinor: 9500,
      subtotalAfterDiscountsMinor: 9000,
      discountCodes: ['SAVE10'],
    });
    expect(o.lines.map((l) => [l.grossMinor, l.netMinor])).toEqual([
      [6000, 5400],
      [4000, 3600],
    ]);
    expect(rows[1]!.event.order.refunds).toEqual([
      expect.objectContaining({ amountMinor: 2000, refundId: '#1002:refund' }),
    ]);
  });

  it('reports a bad order at its first line and goes on', () => {
    const csv = [
      shopifyHeader,
      '#1,a@b.co,paid,,,USD,1,0,0,1.00,,,2025-01-01 00:00:00 +0000,1,X,abc,,,,,,',
      '#2,a@b.co,paid,,,USD,1,0,0,1.00,,,2025-01-01 00:00:00 +0000,1,X,1.00,,,,,,',
    ].join('\n');
    const { rows, errors } = parseOrders(csv, 'shopify-csv', ctx);
    expect(rows.map((r) => r.event.order.orderId)).toEqual(['#2']);
    expect(errors).toEqual([{ line: 2, message: expect.stringContaining('Lineitem price') }]);
  });

  it('refuses a file that is not a Shopify orders export', () => {
    expect(parseOrders('email,points\n', 'shopify-csv', ctx).errors[0]!.message).toContain(
      'not a Shopify orders export',
    );
  });
});

describe('parseOrders: JSONL', () => {
  it('reads WooCommerce REST orders, one per line', () => {
    const order = JSON.stringify(JSON.parse(reference('woocommerce/order.update-example.completed.wc-v3-docs.json')));
    const { rows, errors } = parseOrders(`${order}\n\n{"id": "x"}\n`, 'woocommerce-jsonl', ctx);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.line).toBe(1);
    expect(errors.map((e) => e.line)).toEqual([3]);
  });

  it('reads custom webhook bodies and refuses events that are not orders', () => {
    const ok = customOrderLine({ orderId: 'o1', customerId: 'c1', at: '2025-01-01T00:00:00Z', amount: '10.00' });
    const ping = JSON.stringify({ id: 'p', type: 'ping', createdAt: '2025-01-01T00:00:00Z' });
    const { rows, errors } = parseOrders(`${ok}\n${ping}\nnope\n`, 'custom-jsonl', ctx);
    expect(rows.map((r) => r.event.order.orderId)).toEqual(['o1']);
    expect(errors).toEqual([
      { line: 2, message: 'a ping event is not an order (only order events import)' },
      { line: 3, message: 'not valid JSON' },
    ]);
  });
});
