import type { Program } from '../../schemas/program';
import type { CanonicalOrder } from '../../schemas/order';
import { currencyExponent } from '../money/currencies';

export type EarningRule = Program['earning'];

/** The part of a line the earning rule looks at. */
export type EarnableLine = Pick<CanonicalOrder['lines'][number], 'productId' | 'sku' | 'netMinor'> & {
  lineId?: string;
};

/** The part of an order the earning rule looks at; all the order record keeps of it. */
export type EarnableOrder = Pick<CanonicalOrder, 'currency' | 'shippingMinor' | 'totalMinor'> & {
  lines: EarnableLine[];
};

export interface Earning {
  /** Money the rate applied to, in minor units. */
  basisMinor: number;
  points: number;
  bonusPoints: number;
  creditMinor: number;
}

const none: Earning = { basisMinor: 0, points: 0, bonusPoints: 0, creditMinor: 0 };

/**
 * Points and store credit an order earns under `rule`. Integer arithmetic throughout (BigInt
 * where products could pass 2^53): points = ⌊Σ line net × multiplier% × points ⁄ (100 × per × 10^exp)⌋.
 * Excluded products/SKUs neither earn nor count towards the minimum order.
 */
export const computeEarning = (
  order: EarnableOrder,
  rule: EarningRule,
  opts: { firstOrder: boolean; extraMultiplierPercent?: number },
): Earning => {
  const excluded = (l: EarnableLine) =>
    (l.productId !== undefined && rule.excludedProductIds.includes(l.productId)) ||
    (l.sku !== undefined && rule.excludedSkus.includes(l.sku));
  const included = order.lines.filter((l) => !excluded(l));
  const excludedNet = order.lines.filter(excluded).reduce((s, l) => s + l.netMinor, 0);
  const linesNet = included.reduce((s, l) => s + l.netMinor, 0);

  const basisMinor =
    rule.basis === 'subtotal_after_discounts'
      ? linesNet
      : rule.basis === 'total_excluding_tax'
        ? linesNet + order.shippingMinor
        : Math.max(0, order.totalMinor - excludedNet);
  if (basisMinor <= 0 || basisMinor < rule.minimumOrderMinor) return none;

  const percentFor = (l: EarnableLine): number => {
    const m = rule.multipliers.filter(
      (x) =>
        (l.productId !== undefined && x.productIds.includes(l.productId)) ||
        (l.sku !== undefined && x.skus.includes(l.sku)),
    );
    // The best matching multiplier applies; they do not compound.
    return m.length ? Math.max(...m.map((x) => x.percent)) : 100;
  };
  // Lines carry their multiplier; whatever the basis adds beyond lines (shipping, or the
  // difference to the total) earns at 100 %.
  let weighted = 0n;
  for (const l of included) weighted += BigInt(l.netMinor) * BigInt(percentFor(l));
  weighted += BigInt(basisMinor - linesNet) * 100n;
  const extra = BigInt(opts.extraMultiplierPercent ?? 100);
  const unit = 10n ** BigInt(currencyExponent(order.currency));
  const points = Number((weighted * extra * BigInt(rule.rate.points)) / (100n * 100n * BigInt(rule.rate.per) * unit));
  const creditMinor = Number((BigInt(basisMinor) * BigInt(rule.cashbackBasisPoints)) / 10_000n);
  return { basisMinor, points, bonusPoints: opts.firstOrder ? rule.firstOrderBonusPoints : 0, creditMinor };
};

/** ⌊value × numerator ⁄ denominator⌋ without overflow; 0 when the denominator is 0. */
export const proportion = (value: number, numerator: number, denominator: number): number =>
  denominator <= 0 ? 0 : Number((BigInt(value) * BigInt(Math.max(0, numerator))) / BigInt(denominator));
