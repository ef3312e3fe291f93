import { currencyExponent } from '../money/currencies';
import type { EmailData, EmailDataByType, EmailType } from './types';

/**
 * Preview data. Amounts are chosen per currency so a preview looks like a real e-mail
 * (75 DKK, 10 EUR, 1,500 JPY), not like "0.10" of something; unknown currencies get the
 * euro-sized amount.
 */
const rewardMajor: Readonly<Record<string, number>> = {
  EUR: 10,
  USD: 10,
  GBP: 10,
  CHF: 10,
  CAD: 15,
  AUD: 15,
  NZD: 15,
  DKK: 75,
  SEK: 100,
  NOK: 100,
  ISK: 1_500,
  PLN: 40,
  CZK: 250,
  HUF: 4_000,
  JPY: 1_500,
  KRW: 15_000,
  INR: 900,
  CNY: 80,
};

const minor = (major: number, currency: string): number => major * 10 ** currencyExponent(currency);

const day = 24 * 60 * 60 * 1000;

/** Realistic sample data for the preview endpoint (amounts in the given currency's minor units). */
export const sampleEmailData = <T extends EmailType>(type: T, currency: string, now: Date): EmailData<T> => {
  const reward = rewardMajor[currency] ?? 10;
  const at = (days: number) => new Date(now.getTime() + days * day).toISOString();
  const samples: EmailDataByType = {
    tier_up: {
      tierName: 'Gold',
      previousTierName: 'Silver',
      perks: 'Free shipping on every order\nEarly access to sales',
      multiplierPercent: 150,
    },
    tier_down_warning: {
      tierName: 'Gold',
      nextTierName: 'Silver',
      downgradeAt: at(14),
      qualifyOn: 'spend',
      toKeep: minor(reward * 8, currency),
      currency,
    },
    tier_down: { tierName: 'Silver', previousTierName: 'Gold', perks: 'Early access to sales' },
    points_expiring: { points: 1_250, expiresAt: at(30) },
    referral_reward_earned: { points: 500, friendFirstName: 'Anna', confirmsAt: at(14) },
    friend_welcome: { referrerFirstName: 'Anna', discountPercent: 10 },
    winback_reminder: { pointsBalance: 820, lastOrderAt: at(-120) },
    winback_incentive: {
      code: 'COMEBACK-7K2Q',
      rewardName: 'Welcome-back discount',
      valueMinor: minor(reward, currency),
      currency,
      pointsBalance: 820,
    },
    membership_joined: {
      planName: 'VIP Club',
      perks: 'Free shipping on every order\nEarly access to sales',
      multiplierPercent: 200,
      paidThrough: at(30),
    },
    membership_renewal_due: { planName: 'VIP Club', perks: 'Free shipping on every order', paidThrough: at(7) },
    membership_lapsed: { planName: 'VIP Club', paidThrough: at(-3) },
    survey_request: { surveyId: 'sample', orderId: '1042', orderedAt: at(-14) },
  };
  return samples[type];
};
