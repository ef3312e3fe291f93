import type { ModelledItemWrite } from './observer';
import {
  medianFigures,
  shopReadCost,
  typicalSample,
  warmFigures,
  withShopRead,
  type Figures,
  type OrderSize,
  type Sample,
  type Scenario,
  type ShopReadCost,
} from './capacity';
import { fmt, heading, table, units } from './report';

/**
 * Prints the capacity figures and, per scenario, the items one typical delivery reads and
 * writes, so that a missed goal can be traced to the item or index write that causes it.
 */

const log = (text = '') => console.log(text);

/** Section 1 of the report: the figures, how they are obtained, each scenario's items, goals. */
export const printCapacity = (scenarios: Scenario[], byLines: OrderSize[], perScenario: number) => {
  const shop = shopReadCost(scenarios.flatMap((s) => s.samples));
  log(heading(`1. Capacity per delivery: Shopify orders/paid webhook, median of ${perScenario} orders per scenario`));
  const rows: string[][] = [];
  const missed: { scenario: Scenario; caches: { cache: string; value: number }[] }[] = [];
  for (const s of scenarios) {
    const warm = medianFigures(s.samples);
    for (const [cache, f] of [
      ['cold', withShopRead(warm, shop)],
      ['warm', warm],
    ] as const) {
      const total = f.readsModelled + f.writesModelled;
      const value = s.goal?.value(f);
      const met = value === undefined || value <= s.goal!.limit;
      if (!met) {
        const entry = missed.find((m) => m.scenario === s);
        if (entry) entry.caches.push({ cache, value: value! });
        else missed.push({ scenario: s, caches: [{ cache, value: value! }] });
      }
      rows.push([
        cache === 'cold' ? s.label : '',
        cache,
        units(f.readsReported),
        units(f.readsModelled),
        units(f.writesReported),
        units(f.writesModelled),
        units(total),
        s.goal?.text ?? '—',
        s.goal ? (met ? 'met' : '*** MISSED ***') : '',
      ]);
    }
  }
  log(
    table(
      [
        'scenario',
        'shop',
        'RCU rep.',
        'RCU model',
        'WCU rep.',
        'WCU model',
        'total model',
        'goal (on model)',
        'result',
      ],
      rows,
      ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
    ),
  );
  log();
  log(`cold = the shop item is read (the webhook handler caches shops for 5 s); warm = served from that cache.`);
  log(
    `One shop read: ${units(shop.reported)} RCU reported, ${units(shop.modelled)} modelled (seen ${shop.observed}× across ${scenarios.length * perScenario} requests).`,
  );
  log(
    "rep. = ConsumedCapacity returned by DynamoDB (ReturnConsumedCapacity INDEXES). DynamoDB Local's TransactWriteItems",
  );
  log("       figure is not AWS's per-item sum (it can under-report multi-item transactions, see b) and it charges");
  log('       GSI entries at the transactional 2× rate; hence the model below, which the goals are judged on.');
  log(
    'model = AWS arithmetic on the stored items (before and after images): consistent GetItem 1 RCU per started 4 KB',
  );
  log('        (a missing item costs 1); TransactWriteItems 2 WCU per item per started KB of the larger of its');
  log('        before/after size; + 1 WCU per KEYS_ONLY GSI entry created or deleted, 2 when its key changes');
  log('        (delete + put); rewriting an item whose GSI keys are unchanged costs no index write.');
  log('        Item size ≈ Σ UTF-8(name) + value: S = UTF-8 bytes, N = 1 byte per 2 significant digits + 1,');
  log('        BOOL/NULL = 1, M/L = 3 + 1 per element (+ key bytes for M) + elements.');
  for (const s of scenarios) printScenarioDetail(s, shop);
  log();
  log(`order item size by number of line items (new orders with the sample's first n lines; 1 KB = 1,024 B):`);
  log(
    table(
      ['line items', ...byLines.map((x) => String(x.lines))],
      [
        ['order item bytes', ...byLines.map((x) => fmt(x.bytes))],
        ['order WCU (tx)', ...byLines.map((x) => String(x.tableUnits))],
      ],
      ['l', ...byLines.map(() => 'r' as const)],
      '  ',
    ),
  );
  log();
  if (missed.length) {
    log('GOALS MISSED:');
    for (const m of missed) {
      log(
        `  *** MISSED *** ${m.scenario.label}: goal ${m.scenario.goal!.text}, modelled ${m.caches.map((c) => `${units(c.value)} ${c.cache}`).join(', ')}`,
      );
      const cold = m.caches.some((c) => c.cache === 'cold') ? shop : undefined;
      for (const line of causeOf(typicalSample(m.scenario.samples), cold)) log(`      ${line}`);
    }
  } else {
    log('All capacity goals met (judged on the modelled figures).');
  }
};

/** Where a delivery's modelled units come from, and what the oversize items add. */
const causeOf = (sample: Sample, shop: ShopReadCost | undefined): string[] => {
  const reads = sample.cost.reads.filter((x) => x.kind !== 'shop').map((r) => `${r.kind} ${units(r.units)}`);
  if (shop) reads.push(`shop ${units(shop.modelled)} (cold only)`);
  const writes: string[] = [];
  const oversize: string[] = [];
  let extra = 0;
  for (const it of sample.cost.transactions.flatMap((t) => t.items)) {
    writes.push(
      `${it.kind} ${it.tableUnits}${it.bytes > 1024 ? ` (${fmt(it.bytes)} B → ${Math.ceil(it.bytes / 1024)} KB × 2)` : ''}`,
    );
    if (it.bytes > 1024) {
      oversize.push(`${it.kind} item`);
      extra += it.tableUnits - 2;
    }
    for (const w of it.indexes.filter((x) => x.units))
      writes.push(`${it.kind} ${w.index} entry ${w.change} ${w.units}`);
  }
  const total = sample.cost.transactions.reduce((x, t) => x + t.units, 0);
  const readTotal =
    sample.cost.reads.reduce((x, r) => x + (r.kind === 'shop' ? 0 : r.units), 0) + (shop?.modelled ?? 0);
  return [
    `writes ${total} = ${writes.join(' + ') || 'none'}`,
    `reads ${units(readTotal)} = ${reads.join(' + ') || 'none'}`,
    ...(oversize.length
      ? [
          `the ${oversize.join(', ')} over 1 KB add${oversize.length > 1 ? '' : 's'} ${extra}: at ≤ 1 KB the writes would be ${total - extra}`,
        ]
      : []),
  ];
};

/** Why an item needs more than one write unit: where its bytes go. */
const explainOversize = (it: ModelledItemWrite): string => {
  const top = it.attributes.filter((a) => !a.path.includes('.'));
  const parts = top.slice(0, 6).map((a) => {
    const children = it.attributes.filter((c) => c.path.startsWith(`${a.path}.`)).slice(0, 3);
    return `${a.path} ${fmt(a.bytes)}${children.length ? ` (${children.map((c) => `${c.path.slice(a.path.length + 1)} ${fmt(c.bytes)}`).join(', ')})` : ''}`;
  });
  const rest = top.slice(6).reduce((x, a) => x + a.bytes, 0);
  return `${it.kind} is ${fmt(it.bytes)} B, ${fmt(it.bytes - 1024)} B over 1 KB, so ${it.tableUnits} WCU instead of 2. Bytes: ${parts.join('; ')}; ${top.length - 6 > 0 ? `${top.length - 6} other attributes ${fmt(rest)}` : ''}`.replace(
    /; $/,
    '',
  );
};

const indexCell = (w: { change: string; units: number } | undefined): string =>
  !w || w.change === 'absent' ? '—' : w.units ? `${w.change} +${w.units}` : w.change;

/** The items one typical delivery reads and writes, so a missed goal can be traced to them. */
const printScenarioDetail = (s: Scenario, shop: ShopReadCost) => {
  const sample = typicalSample(s.samples);
  const statuses = new Map<string, number>();
  for (const x of s.samples)
    statuses.set(`${x.status} ${x.outcome}`, (statuses.get(`${x.status} ${x.outcome}`) ?? 0) + 1);
  const shopReads = s.samples.filter((x) => x.cost.shopReads > 0).length;
  const range = (pick: (f: Figures) => number) => {
    const v = s.samples.map((x) => pick(warmFigures(x)));
    return `${units(Math.min(...v))}–${units(Math.max(...v))}`;
  };
  log();
  log(`${s.label}`);
  log(
    `  answers: ${[...statuses].map(([k, v]) => `${v}× HTTP ${k}`).join(', ')}; shop read on ${shopReads} of ${s.samples.length} requests`,
  );
  log(
    `  spread over ${s.samples.length} (warm): WCU model ${range((f) => f.writesModelled)}, WCU rep. ${range((f) => f.writesReported)}, RCU model ${range((f) => f.readsModelled)}`,
  );
  const reads = sample.cost.reads.filter((r) => r.kind !== 'shop');
  log(
    `  reads: ${reads.map((r) => `${r.kind} ${r.found ? `${fmt(r.bytes)} B` : '(not found)'} = ${units(r.units)} RCU`).join('; ') || 'none'}; + shop ${units(shop.modelled)} RCU when cold`,
  );
  for (const t of sample.cost.transactions) {
    log(
      t.single
        ? `  PutItem${t.committed ? '' : ' (condition failed, still charged)'}, modelled ${t.units} WCU:`
        : `  TransactWriteItems${t.committed ? '' : ' (cancelled)'}, ${t.items.length} items, modelled ${t.units} WCU:`,
    );
    const rows = t.items.map((it) => {
      const idx = (name: string) => it.indexes.find((w) => w.index === name);
      const total = it.tableUnits + it.indexes.reduce((x, w) => x + w.units, 0);
      return [
        it.kind,
        it.action,
        fmt(it.bytes),
        String(Math.ceil(it.bytes / 1024) || 1),
        String(it.tableUnits),
        indexCell(idx('gsi1')),
        indexCell(idx('gsi2')),
        String(total),
      ];
    });
    log(
      table(
        ['item', 'action', 'bytes', 'KB', t.single ? 'table WCU (1×KB)' : 'table WCU (2×KB)', 'gsi1', 'gsi2', 'WCU'],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'l', 'l', 'r'],
        '    ',
      ),
    );
    for (const it of t.items.filter((x) => x.bytes > 1024)) log(`    ${explainOversize(it)}`);
  }
  if (!sample.cost.transactions.length) log('  writes: none');
  const reported = sample.cost.reported.filter((r) => r.kind !== 'shop read');
  log(
    `  reported by DynamoDB: ${
      reported
        .map((r) => {
          const idx = Object.entries(r.indexUnits)
            .map(([k, v]) => `${k} ${units(v)}`)
            .join(', ');
          return `${r.op} ${units(r.units)}${idx ? ` (of which ${idx})` : ''}`;
        })
        .join('; ') || 'nothing'
    }`,
  );
};
