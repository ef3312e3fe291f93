import type { Program } from '../../schemas/program';
import type { CustomerRecord } from '../ledger/customer';
import { customerPlan, type Plan } from '../ledger/plans';
import { localDay } from '../calendar';
import { birthdayAfter, localDayStart } from './birthday';
import { planActivity } from './plan';

/**
 * The daily ledger job awards the `birthday` way to earn once, on the day itself in the shop's
 * time zone, under an id per customer and year, so a re-run of the same day never pays twice.
 */

/** A birthday found this long after it started is let go (no run for days): a late gift surprises. */
export const birthdayGraceMs = 2 * 86_400_000;

/**
 * The daily job's birthday step, as of `cutoff`: nothing before the birthday has started in the
 * shop's zone; then the award (or the record of why not) and the next birthday, in one plan.
 * A birthday found only after its grace moves on to the next without paying.
 */
export const planBirthday = (
  c: CustomerRecord,
  program: Program,
  at: { cutoff: string; now: string; entryId: string; timeZone: string },
): Plan | undefined => {
  if (!c.birthday || !c.birthdayNext || c.redactedAt) return undefined;
  if (!program.waysToEarn.some((w) => w.type === 'birthday' && w.enabled)) return undefined;
  const start = localDayStart(c.birthdayNext, at.timeZone);
  if (at.cutoff < start) return undefined;
  const moved: CustomerRecord = { ...c, birthdayNext: birthdayAfter(c.birthday, localDay(at.cutoff, at.timeZone)) };
  if (Date.parse(at.cutoff) - Date.parse(start) >= birthdayGraceMs) return customerPlan(c, moved, at.now);
  const planned = planActivity(moved, program, {
    id: `birthday:${c.cid}:${c.birthdayNext.slice(0, 4)}`,
    type: 'birthday',
    occurredAt: start,
    source: 'system',
    now: at.now,
    entryId: at.entryId,
    timeZone: at.timeZone,
  });
  return planned.ok ? planned.value.plan : customerPlan(c, moved, at.now);
};
