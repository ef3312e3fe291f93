import type { builtInActivityTypes } from '../../schemas/program';
import { isSelfDeclaredActivity, type ActivityLimit, type Program } from '../../schemas/program';
import type { StorefrontLocale } from '../../schemas/storefront';
import { decideLimit, periodKey } from '../engagement/limits';
import type { CustomerRecord } from '../ledger/customer';

/** The program's ways to earn as the storefront shows them (docs/engagement.md). */

type BuiltIn = (typeof builtInActivityTypes)[number];

const names: Record<StorefrontLocale, { builtIn: Record<BuiltIn, string>; follow: (network: string) => string }> = {
  en: {
    builtIn: {
      account_created: 'Create an account',
      birthday: 'Celebrate your birthday',
      review: 'Write a review',
      newsletter: 'Sign up for our newsletter',
      survey: 'Answer a survey',
    },
    follow: (n) => `Follow us on ${n}`,
  },
  da: {
    builtIn: {
      account_created: 'Opret en konto',
      birthday: 'Fejr din fødselsdag',
      review: 'Skriv en anmeldelse',
      newsletter: 'Tilmeld dig vores nyhedsbrev',
      survey: 'Besvar en undersøgelse',
    },
    follow: (n) => `Følg os på ${n}`,
  },
};

const networkName = (n: string) => n.charAt(0).toUpperCase() + n.slice(1);

/** The way's name for customers: the shop's own, else a built-in label, else its type. */
export const wayName = (type: string, name: string | undefined, locale: StorefrontLocale): string => {
  if (name) return name;
  const t = names[locale];
  if (type.startsWith('social_follow:')) return t.follow(networkName(type.slice('social_follow:'.length)));
  return Object.hasOwn(t.builtIn, type) ? t.builtIn[type as BuiltIn] : type;
};

/** The enabled ways to earn, for anyone to see. */
export const waysToEarnView = (program: Program, locale: StorefrontLocale) =>
  program.waysToEarn
    .filter((w) => w.enabled)
    .map((w) => ({
      type: w.type,
      name: wayName(w.type, w.name, locale),
      points: w.points,
      limit: w.limit,
      selfDeclared: isSelfDeclaredActivity(w.type),
      url: w.url ?? null,
    }));

/** The storefront claims an `unlimited` way at most daily (claimActivity): the same here. */
const claimLimit = (limit: ActivityLimit): ActivityLimit => (limit === 'unlimited' ? 'day' : limit);

/**
 * Per enabled way, whether the customer already has it in the current period (`done`) and may
 * claim it themselves now. A birthday is done once it is set: the points come on the day.
 */
export const waysToEarnStatus = (
  program: Program,
  customer: CustomerRecord | undefined,
  now: string,
  timeZone: string,
) =>
  program.waysToEarn
    .filter((w) => w.enabled)
    .map((w) => {
      const done =
        w.type === 'birthday'
          ? !!customer?.birthday
          : !decideLimit(customer?.activityAwards?.[w.type], periodKey(claimLimit(w.limit), now, timeZone)).award;
      return { type: w.type, done, claimable: isSelfDeclaredActivity(w.type) && !done && !customer?.redactedAt };
    });
