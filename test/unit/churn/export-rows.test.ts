import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  csvColumns,
  csvField,
  csvColumnsFor,
  csvHeader,
  csvHeaderFor,
  type ExportCustomer,
  exportRow,
  type ExportScores,
  toCsv,
  toCsvRows,
  toJsonExport,
} from '../../../shared/domain/churn/export-rows';
import { churnRisk } from '../../../shared/domain/churn/risk';

const customer = (o: Partial<ExportCustomer> = {}): ExportCustomer => ({
  cid: 'i.1001',
  platformCustomerId: '1001',
  email: 'ann@example.com',
  points: { available: 1_250, pending: 300 },
  tier: 'gold',
  ...o,
});

const scores = (o: Partial<ExportScores> = {}): ExportScores => ({
  pAlive: 0.873_456,
  expectedPurchases90d: 1.234_56,
  predictedValue12mMinor: 45_678.5,
  currency: 'DKK',
  rfm: { r: 5, f: 4, m: 3 },
  pNoPurchase: 0.126_54,
  horizonDays: 90,
  ...o,
});

const risk = { score: 13, band: 'low' as const };

/** A strict RFC 4180 reader: records of fields, CRLF line ends, every record terminated. */
const parseCsv = (text: string): string[][] => {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (text[i] === '"' && text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else if (text[i] === '"') {
            i++;
            break;
          } else if (i >= text.length) throw new Error('unterminated quote');
          else field += text[i++];
        }
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\r') {
          if (text[i] === '"' || text[i] === '\n') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
          field += text[i++];
        }
      }
      record.push(field);
      if (text[i] === ',') i++;
      else if (text[i] === '\r' && text[i + 1] === '\n') {
        i += 2;
        break;
      } else throw new Error(`expected , or CRLF at ${i}`);
    }
    records.push(record);
  }
  return records;
};

describe('exportRow', () => {
  it('maps a customer with its scores', () => {
    expect(exportRow(customer(), scores(), 'champions', risk)).toEqual({
      customerId: 'i.1001',
      platformCustomerId: '1001',
      email: 'ann@example.com',
      redacted: false,
      segment: 'champions',
      churnRisk: 13,
      churnBand: 'low',
      pAlive: 0.8735,
      expectedPurchases90d: 1.2346,
      predictedValue12mMinor: 45_679,
      currency: 'DKK',
      rfm: { r: 5, f: 4, m: 3 },
      tier: 'gold',
      pointsBalance: 1_250,
      pointsPending: 300,
      pNoPurchase: 0.1265,
      horizonDays: 90,
      engagement: 0,
    });
  });

  it('carries the engagement score as the last column, in CSV and JSON', () => {
    const row = exportRow(customer(), scores({ engagement: 55 }), 'engaged_not_buying', risk);
    expect(row.engagement).toBe(55);
    const [header, line] = parseCsv(toCsv([row]));
    expect(header!.at(-1)).toBe('engagement');
    expect(line!.at(-1)).toBe('55');
    expect(line![3]).toBe('engaged_not_buying');
    expect(toJsonExport([row], meta).customers[0]).toMatchObject({ engagement: 55, segment: 'engaged_not_buying' });
  });

  it('drops the e-mail of a redacted customer and keeps ids and numbers', () => {
    const row = exportRow(customer({ redactedAt: '2026-02-01T00:00:00Z' }), scores(), 'lost', churnRisk(0.9));
    expect(row).toMatchObject({
      customerId: 'i.1001',
      platformCustomerId: '1001',
      email: '',
      redacted: true,
      churnRisk: 90,
      churnBand: 'high',
      pointsBalance: 1_250,
    });
    expect(toCsv([row])).not.toContain('ann@');
    expect(JSON.stringify(toJsonExport([row], meta))).not.toContain('ann@');
  });

  it('leaves absent fields empty', () => {
    const { platformCustomerId: _p, email: _e, tier: _t, ...guest } = customer({ cid: 'e.abc' });
    expect(exportRow(guest, scores(), 'new', risk)).toMatchObject({ platformCustomerId: '', email: '', tier: '' });
  });

  it.each<Partial<ExportScores>>([
    { pAlive: 1.2 },
    { expectedPurchases90d: -1 },
    { predictedValue12mMinor: Number.NaN },
    { currency: 'XYZ' },
    { engagement: 101 },
    { engagement: 5.5 },
  ])('rejects %j', (bad) => {
    expect(() => exportRow(customer(), scores(bad), 'loyal', risk)).toThrow(RangeError);
  });
});

const meta = { shopId: 'shop-1', asOf: '2026-03-31', generatedAt: '2026-04-01T02:00:00.000Z', currency: 'DKK' };

describe('CSV', () => {
  it('has the header in the stable column order', () => {
    expect(csvHeader).toBe(
      'customer_id,platform_customer_id,email,segment,churn_risk,churn_band,p_alive,expected_purchases_90d,predicted_value_12m,currency,rfm_r,rfm_f,rfm_m,rfm,tier,points_balance,points_pending,p_no_purchase_90d,horizon_days,engagement\r\n',
    );
    expect(csvColumns).toHaveLength(17);
    expect(csvHeaderFor(273).endsWith(',points_pending,p_no_purchase_273d,horizon_days,engagement\r\n')).toBe(true);
    expect(csvColumnsFor(30)).toEqual([...csvColumns, 'p_no_purchase_30d', 'horizon_days', 'engagement']);
  });

  it('writes one CRLF-terminated line per row, money in the currency exponent, 4-decimal probabilities', () => {
    const rows = [
      exportRow(customer(), scores(), 'champions', risk),
      exportRow(
        customer({
          cid: 'i.7',
          platformCustomerId: '7',
          email: 'bo@example.dk',
          tier: undefined,
          points: { available: -25, pending: 0 },
        }),
        scores({ pAlive: 1, expectedPurchases90d: 0, predictedValue12mMinor: 7, rfm: { r: 1, f: 1, m: 1 } }),
        'lost',
        { score: 85, band: 'high' },
      ),
    ];
    expect(toCsv(rows)).toBe(
      csvHeader +
        'i.1001,1001,ann@example.com,champions,13,low,0.8735,1.2346,456.79,DKK,5,4,3,543,gold,1250,300,0.1265,90,0\r\n' +
        'i.7,7,bo@example.dk,lost,85,high,1.0000,0.0000,0.07,DKK,1,1,1,111,,-25,0,0.1265,90,0\r\n',
    );
    expect(toCsvRows(scoresIn('JPY'))).toContain(',45679,JPY,');
    expect(toCsvRows(scoresIn('KWD'))).toContain(',45.679,KWD,');
  });

  const scoresIn = (currency: string) => [exportRow(customer(), scores({ currency }), 'loyal', risk)];

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('')).toBe('');
  });

  it('neutralises formula injection with a leading apostrophe, but not our plain numbers', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('+1+2')).toBe("'+1+2");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('\rcmd')).toBe('"\'\rcmd"');
    expect(csvField('-25')).toBe('-25');
    expect(csvField('-0.5')).toBe('-0.5');
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField("'quoted")).toBe("''quoted"); // so one leading apostrophe can always be stripped back
    expect(csvField("it's")).toBe("it's");
    const row = exportRow(
      customer({ cid: '=cmd|" /C calc"!A0', email: '@x.example', tier: '+VIP, Gold' }),
      scores(),
      'loyal',
      risk,
    );
    const [, fields] = parseCsv(toCsv([row]));
    expect(fields![0]).toBe('\'=cmd|" /C calc"!A0');
    expect(fields![2]).toBe("'@x.example");
    expect(fields![14]).toBe("'+VIP, Gold");
  });

  it('concatenates parts after one header into the same file as one batch', () => {
    const rows = Array.from({ length: 5 }, (_, k) =>
      exportRow(customer({ cid: `i.${k}`, platformCustomerId: String(k) }), scores(), 'loyal', risk),
    );
    expect(csvHeader + toCsvRows(rows.slice(0, 2)) + toCsvRows([]) + toCsvRows(rows.slice(2))).toBe(toCsv(rows));
    expect(toCsv([])).toBe(csvHeader);
  });

  it('reads back, field for field, whatever the text (property)', () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'Ø', ',', '"', '\r', '\n', '\t', '=', '+', '-', '@', ' ', '1', "'"),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, text, text), { maxLength: 5 }), (cells) => {
        const rows = cells.map(([cid, pid, email, tier]) =>
          exportRow(customer({ cid, platformCustomerId: pid, email, tier }), scores(), 'at_risk', risk),
        );
        const records = parseCsv(toCsv(rows));
        if (records.length !== rows.length + 1 || records[0]!.join(',') !== csvColumnsFor(90).join(',')) return false;
        return cells.every(([cid, pid, email, tier], k) => {
          const f = records[k + 1]!;
          const unguard = (s: string) => (s.startsWith("'") ? s.slice(1) : s);
          const guarded = [f[0], f[1], f[2], f[14]].every(
            (s) => !/^[=+\-@\t\r]/.test(s!) || /^-?\d+(\.\d+)?$/.test(s!),
          );
          return (
            f.length === 20 &&
            guarded &&
            unguard(f[0]!) === cid &&
            unguard(f[1]!) === pid &&
            unguard(f[2]!) === email &&
            unguard(f[14]!) === tier
          );
        });
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('JSON variant', () => {
  it('carries meta, count and rows with money both ways and nulls for absent ids', () => {
    const rows = [
      exportRow(customer(), scores(), 'champions', risk),
      exportRow(
        {
          cid: 'e.abc',
          redactedAt: '2026-02-01T00:00:00Z',
          email: 'gone@example.com',
          points: { available: 0, pending: 0 },
        },
        scores({ rfm: { r: 1, f: 2, m: 1 } }),
        'hibernating',
        { score: 40, band: 'medium' },
      ),
    ];
    const json = toJsonExport(rows, meta);
    expect(json).toEqual({
      format: 'boomerang.churn-segments',
      version: 1,
      meta,
      count: 2,
      customers: [
        {
          customerId: 'i.1001',
          platformCustomerId: '1001',
          email: 'ann@example.com',
          redacted: false,
          segment: 'champions',
          churnRisk: 13,
          churnBand: 'low',
          pAlive: 0.8735,
          expectedPurchases90d: 1.2346,
          predictedValue12m: '456.79',
          predictedValue12mMinor: 45_679,
          currency: 'DKK',
          rfm: { r: 5, f: 4, m: 3, code: '543' },
          tier: 'gold',
          pointsBalance: 1_250,
          pointsPending: 300,
          pNoPurchase: 0.1265,
          horizonDays: 90,
          engagement: 0,
        },
        {
          customerId: 'e.abc',
          platformCustomerId: null,
          email: '',
          redacted: true,
          segment: 'hibernating',
          churnRisk: 40,
          churnBand: 'medium',
          pAlive: 0.8735,
          expectedPurchases90d: 1.2346,
          predictedValue12m: '456.79',
          predictedValue12mMinor: 45_679,
          currency: 'DKK',
          rfm: { r: 1, f: 2, m: 1, code: '121' },
          tier: null,
          pointsBalance: 0,
          pointsPending: 0,
          pNoPurchase: 0.1265,
          horizonDays: 90,
          engagement: 0,
        },
      ],
    });
    // survives serialisation unchanged, and is not spreadsheet-guarded
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    const odd = exportRow(customer({ email: '=x@example.com' }), scores(), 'loyal', risk);
    expect(toJsonExport([odd], meta).customers[0]!.email).toBe('=x@example.com');
  });

  it('agrees with the CSV on every value', () => {
    const row = exportRow(customer(), scores({ pAlive: 0.123_45, expectedPurchases90d: 2.000_05 }), 'loyal', risk);
    const [, csv] = parseCsv(toCsv([row]));
    const j = toJsonExport([row], meta).customers[0]!;
    expect(csv![6]).toBe(j.pAlive.toFixed(4));
    expect(csv![7]).toBe(j.expectedPurchases90d.toFixed(4));
    expect(csv![8]).toBe(j.predictedValue12m);
  });
});
