import type { BalanceFormat } from '../../schemas/imports';
import type { Program } from '../../schemas/program';
import { addMonths } from '../calendar';
import { normalizeEmail } from '../customers/identity';
import { applyEntry, newCustomer, type CustomerRecord } from '../ledger/customer';
import type { LedgerEntry } from '../ledger/entries';
import type { Plan } from '../ledger/plans';
import { replacing } from '../versioned';
import type { RowError } from './job';
import { columnOf, csvRecords } from './records';

/** One member's balance at the incumbent. */
export interface BalanceRow {
  line: number;
  email: string;
  points: number;
  tier?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * Header aliases (as `headerKey` writes them) per format. Smile.io documents `email,points` for its
 * points CSV and its customer export names the balance "Points balance" and the tier "VIP tier";
 * LoyaltyLion's customer export has "Points approved" (spendable), "Points pending" and "Tier".
 * Pending points are not carried over: at the incumbent they can still be taken back by a return.
 */
const columns: Record<BalanceFormat, { email: string[]; points: string[]; tier: string[] }> = {
  smile: {
    email: ['email', 'email_address', 'customer_email'],
    points: ['points', 'points_balance', 'balance', 'point_balance'],
    tier: ['vip_tier', 'tier', 'vip_tier_name'],
  },
  loyaltylion: {
    email: ['email', 'email_address', 'customer_email'],
    points: ['points_approved', 'approved_points', 'points'],
    tier: ['tier', 'tier_name', 'current_tier', 'loyalty_tier'],
  },
  plain: { email: ['email'], points: ['points'], tier: ['tier'] },
};
const firstNames = ['first_name', 'firstname', 'given_name'];
const lastNames = ['last_name', 'lastname', 'surname', 'family_name'];

const emailPattern = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

/**
 * Parses a balances file: the rows that can be imported and an error per row that cannot (with
 * its line). `plain` may leave out the header (`email,points[,tier]`); the others need theirs.
 */
export const parseBalances = (text: string, format: BalanceFormat): { rows: BalanceRow[]; errors: RowError[] } => {
  const { records, problems } = csvRecords(text);
  const errors: RowError[] = problems.map((p) => ({ line: p.line, message: p.message }));
  if (!records.length) return { rows: [], errors: [...errors, { line: 1, message: 'the file has no rows' }] };
  const c = columns[format];
  const header = records[0]!.fields;
  let at = { email: columnOf(header, c.email), points: columnOf(header, c.points), tier: columnOf(header, c.tier) };
  let body = records.slice(1);
  if (at.email < 0 || at.points < 0) {
    if (format === 'plain' && header[0]?.includes('@')) {
      at = { email: 0, points: 1, tier: 2 };
      body = records;
    } else {
      const missing = [at.email < 0 ? c.email[0] : undefined, at.points < 0 ? c.points.join(' or ') : undefined];
      errors.push({
        line: records[0]!.line,
        message: `the header has no ${missing.filter(Boolean).join(' and no ')} column`,
      });
      return { rows: [], errors };
    }
  }
  const first = columnOf(header, firstNames);
  const last = columnOf(header, lastNames);
  const rows: BalanceRow[] = [];
  for (const r of body) {
    const cell = (i: number) => (i >= 0 ? (r.fields[i] ?? '').trim() : '');
    const email = cell(at.email);
    const pointsText = cell(at.points);
    if (!emailPattern.test(email)) {
      errors.push({ line: r.line, message: email ? `"${email}" is not an e-mail address` : 'the e-mail is empty' });
      continue;
    }
    if (!/^\d+$/.test(pointsText)) {
      errors.push({
        line: r.line,
        message: pointsText
          ? `points "${pointsText}" is not a whole number of points (no sign, separators or decimals)`
          : 'points is empty',
      });
      continue;
    }
    const points = Number(pointsText);
    if (!Number.isSafeInteger(points) || points > 1_000_000_000) {
      errors.push({ line: r.line, message: `points ${pointsText} is too large` });
      continue;
    }
    const tier = cell(at.tier);
    const firstName = cell(first);
    const lastName = cell(last);
    rows.push({
      line: r.line,
      email: normalizeEmail(email),
      points,
      ...(tier ? { tier } : {}),
      ...(firstName ? { firstName } : {}),
      ...(lastName ? { lastName } : {}),
    });
  }
  return { rows, errors };
};

/**
 * The idempotency key of one member's opening balance from one source: committed in the same
 * transaction as the entry, so the same file twice, or a later export from the same source,
 * changes nothing for a member already imported.
 */
export const balanceImportKey = (format: BalanceFormat, emailHash: string): string => `import:${format}:${emailHash}`;

export const sourceNames: Record<BalanceFormat, string> = {
  smile: 'Smile.io',
  loyaltylion: 'LoyaltyLion',
  plain: 'a points file',
};

/** The tier level an imported tier name means in this program (by name or id, any case), if any. */
export const tierLevelFor = (program: Program, name: string) => {
  const n = name.trim().toLowerCase();
  const index = program.tiers.levels.findIndex((l) => l.name.toLowerCase() === n || l.id.toLowerCase() === n);
  return index >= 0 ? { index, level: program.tiers.levels[index]! } : undefined;
};

/**
 * The opening balance of one member: an `adjust` entry with the incumbent as its cause and
 * reason, on the customer found by e-mail (or a new one). An imported tier the program has is
 * granted as the customer's tier from now for one membership period, unless they already hold
 * one as high; it does not add to what tiers qualify on (the incumbent's history is not ours).
 */
export const planOpeningBalance = (
  customer: CustomerRecord | undefined,
  cid: string,
  row: BalanceRow,
  ctx: { format: BalanceFormat; importId: string; now: string; entryId: string; program: Program },
): { plan: Plan; tierNote?: string } => {
  let c = customer ?? { ...newCustomer(cid, ctx.now), email: row.email };
  if (!c.redactedAt) {
    c = {
      ...c,
      email: c.email ?? row.email,
      ...(c.firstName === undefined && row.firstName ? { firstName: row.firstName } : {}),
      ...(c.lastName === undefined && row.lastName ? { lastName: row.lastName } : {}),
    };
  }
  const entry: LedgerEntry | undefined =
    row.points > 0
      ? {
          entryId: ctx.entryId,
          type: 'adjust',
          at: ctx.now,
          points: { available: row.points, pending: 0 },
          credit: { available: 0, pending: 0 },
          cause: `import:${ctx.format}:${cid}`,
          reason: `Opening balance imported from ${sourceNames[ctx.format]}`,
          by: `import:${ctx.importId}`,
        }
      : undefined;
  if (entry) c = applyEntry(c, entry);
  let tierNote: string | undefined;
  if (row.tier) {
    const found = ctx.program.tiers.enabled ? tierLevelFor(ctx.program, row.tier) : undefined;
    const currentIndex = c.tier ? ctx.program.tiers.levels.findIndex((l) => l.id === c.tier!.id) : 0;
    if (!found)
      tierNote = `tier "${row.tier}" is not a tier of this program${ctx.program.tiers.enabled ? '' : ' (tiers are off)'}; the balance was imported without it`;
    else if (found.index > Math.max(0, currentIndex))
      c = {
        ...c,
        tier: {
          id: found.level.id,
          since: ctx.now,
          reviewAt: addMonths(ctx.now, ctx.program.tiers.membershipMonths),
          ...(c.tier ? { from: c.tier.id } : {}),
        },
      };
  }
  return {
    plan: { customer: replacing(customer, { ...c, updatedAt: ctx.now }), ...(entry ? { entry } : {}) },
    ...(tierNote ? { tierNote } : {}),
  };
};
