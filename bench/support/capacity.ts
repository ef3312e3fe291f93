import type { Delivery } from './shopify-orders';
import type { Meter, RequestCost } from './observer';
import { median } from './report';

/**
 * Capacity of one webhook delivery, split so that the shop read (which the handler caches
 * for 5 s) can be added back for "cold" and left out for "warm" figures.
 */

export interface Sample {
  status: number;
  outcome: string;
  cost: RequestCost;
}

export interface Scenario {
  label: string;
  samples: Sample[];
  /** The goal this scenario is judged by, on modelled figures. */
  goal?: { text: string; value: (f: Figures) => number; limit: number };
}

/** The stored order item for an order with `lines` line items. */
export interface OrderSize {
  lines: number;
  bytes: number;
  tableUnits: number;
}

export interface Figures {
  readsReported: number;
  readsModelled: number;
  writesReported: number;
  writesModelled: number;
}

export interface ShopReadCost {
  reported: number;
  modelled: number;
  /** How many shop reads the figures come from (0: none observed). */
  observed: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Sends one delivery and returns what it cost; requests must not overlap while measuring. */
export const measure = async (url: string, meter: Meter, delivery: Delivery): Promise<Sample> => {
  const cost = meter.begin();
  const res = await fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await res.text();
  let outcome = `HTTP ${res.status}`;
  try {
    outcome = (JSON.parse(text) as { status?: string }).status ?? outcome;
  } catch {
    // not JSON: keep the status line
  }
  return { status: res.status, outcome, cost };
};

/** Everything except the shop read: what a delivery costs while the shop is cached. */
export const warmFigures = ({ cost }: Sample): Figures => ({
  readsReported: sum(cost.reported.filter((r) => r.kind === 'read').map((r) => r.units)),
  readsModelled: sum(cost.reads.filter((r) => r.kind !== 'shop').map((r) => r.units)),
  writesReported: sum(cost.reported.filter((r) => r.kind === 'write').map((r) => r.units)),
  writesModelled: sum(cost.transactions.map((t) => t.units)),
});

export const medianFigures = (samples: Sample[]): Figures => {
  const f = samples.map(warmFigures);
  return {
    readsReported: median(f.map((x) => x.readsReported)),
    readsModelled: median(f.map((x) => x.readsModelled)),
    writesReported: median(f.map((x) => x.writesReported)),
    writesModelled: median(f.map((x) => x.writesModelled)),
  };
};

/** The cost of one shop read, from every shop read seen (each is the same item). */
export const shopReadCost = (samples: Sample[]): ShopReadCost => {
  const reported = samples.flatMap((s) => s.cost.reported.filter((r) => r.kind === 'shop read').map((r) => r.units));
  const modelled = samples.flatMap((s) => s.cost.reads.filter((r) => r.kind === 'shop').map((r) => r.units));
  return { reported: median(reported), modelled: median(modelled), observed: modelled.length };
};

export const withShopRead = (f: Figures, shop: ShopReadCost): Figures => ({
  ...f,
  readsReported: f.readsReported + shop.reported,
  readsModelled: f.readsModelled + shop.modelled,
});

/** A delivery whose modelled writes equal the median: the one whose items are shown. */
export const typicalSample = (samples: Sample[]): Sample => {
  const m = median(samples.map((s) => warmFigures(s).writesModelled));
  return samples.find((s) => warmFigures(s).writesModelled === m) ?? samples[0]!;
};
