import type { LocaleCopy } from './copy';

const plural = (n: number, one: string, other: string) => (n === 1 ? one : other);

/** English copy. Typographic apostrophes and dashes throughout, as a person would type them. */
export const copyEn: LocaleCopy = {
  greeting: (firstName) => (firstName ? `Hi ${firstName},` : 'Hi,'),
  reason: (shop) => `You get this e-mail because you are a member of the ${shop} rewards program.`,
  unsubscribe: 'Unsubscribe from these e-mails',
  points: (count, n) => `${count} ${plural(n, 'point', 'points')}`,
  orders: (count, n) => `${count} ${plural(n, 'order', 'orders')}`,
  qualifyOn: { spend: 'spend', points: 'points', orders: 'orders' },
  types: {
    tier_up: (p, d, f) => ({
      subject: `Congratulations! You’re now ${p.tierName} at ${p.shopName}`,
      heading: `Welcome to ${p.tierName}!`,
      paragraphs: [
        `Thank you for shopping with us. You’ve moved up from ${p.previousTierName} to ${p.tierName}.` +
          (d.multiplierPercent > 100
            ? ` From now on you earn ${f.percent(d.multiplierPercent - 100)} more points on every order.`
            : ''),
      ],
      cta: 'See my membership',
      perks: { label: `Your perks as a ${p.tierName} member`, text: d.perks },
    }),
    tier_down_warning: (p, d) => {
      const need =
        d.qualifyOn === 'spend'
          ? `spend another ${p.toKeep}`
          : d.qualifyOn === 'points'
            ? `earn another ${p.toKeep}`
            : `place another ${p.toKeep}`;
      return {
        subject: `Keep your ${p.tierName} status at ${p.shopName}`,
        heading: `Your ${p.tierName} status ends soon`,
        paragraphs: [
          `If nothing changes, you’ll move from ${p.tierName} to ${p.nextTierName} on ${p.downgradeAt}. To keep ${p.tierName}, ${need} before then.`,
          'Every order counts, so now is a great time to treat yourself.',
        ],
        cta: 'See my status',
      };
    },
    tier_down: (p, d) => ({
      subject: `Your membership level at ${p.shopName} has changed`,
      heading: `You’re now a ${p.tierName} member`,
      paragraphs: [
        `Your membership has moved from ${p.previousTierName} to ${p.tierName}. You keep all the points you have earned, and every order brings you closer to moving back up.`,
      ],
      cta: 'See my points',
      perks: { label: `Your perks as a ${p.tierName} member`, text: d.perks },
    }),
    points_expiring: (p, d) => {
      const points = copyEn.points(p.points, d.points);
      return {
        subject: `Your points at ${p.shopName} expire on ${p.expiresAt}`,
        heading: `Don’t lose your ${points}`,
        paragraphs: [
          `You have ${points} that will expire on ${p.expiresAt}. Use them on a reward – or shop again, and they’re yours to keep.`,
        ],
        cta: 'Use my points',
      };
    },
    referral_reward_earned: (p, d) => {
      const points = copyEn.points(p.points, d.points);
      const friend = p.friendFirstName ? `Your friend ${p.friendFirstName}` : 'A friend you referred';
      return {
        subject: `You’ve earned ${points} for referring a friend`,
        heading: 'Thanks for spreading the word!',
        paragraphs: [
          `${friend} just shopped at ${p.shopName} for the first time, so you’ve earned ${points}.` +
            (p.confirmsAt ? ` You can use them from ${p.confirmsAt}, once the return period has passed.` : ''),
          'Keep sharing – every friend who shops earns you more points.',
        ],
        cta: 'See my points',
      };
    },
    friend_welcome: (p) => ({
      subject: p.referrerFirstName
        ? `Welcome to ${p.shopName} – thanks to ${p.referrerFirstName}`
        : `Welcome to ${p.shopName}’s rewards program`,
      heading: `Welcome to ${p.shopName}!`,
      paragraphs: [
        `Thank you for your first order${p.referrerFirstName ? `, and for coming on ${p.referrerFirstName}’s recommendation` : ' on a friend’s recommendation'}.` +
          ` You got ${p.discountPercent} off, and you are now a member of our rewards program: every order earns you points.`,
        p.referralCode
          ? 'Now it’s your turn: share your own code below, and earn points every time a friend shops with it.'
          : 'Now it’s your turn: invite your friends, and earn points every time one of them shops.',
      ],
      cta: 'Visit the shop',
      ...(p.referralUrl ? { ctaUrl: p.referralUrl } : {}),
      ...(p.referralCode ? { code: { label: 'Your code to share', code: p.referralCode } } : {}),
    }),
    winback_reminder: (p, d) => ({
      subject: `We miss you at ${p.shopName}`,
      heading: 'It’s been a while!',
      paragraphs: [
        p.lastOrderAt
          ? `Your last order with us was on ${p.lastOrderAt}, and we’d love to see you again.`
          : 'It’s been a while since we saw you, and we’d love to see you again.',
        ...(d.pointsBalance > 0
          ? [
              `You have ${copyEn.points(p.pointsBalance, d.pointsBalance)} waiting for you – use them on your next order.`,
            ]
          : []),
      ],
      cta: 'See what’s new',
    }),
    winback_incentive: (p, d) => ({
      subject: `A gift for you: ${p.valueMinor} off at ${p.shopName}`,
      heading: `Here’s ${p.valueMinor} off your next order`,
      paragraphs: [
        `We’ve missed you, so here is a little welcome-back gift: ${p.valueMinor} off your next order. Use the code ${p.code} at checkout.`,
        ...(d.pointsBalance > 0
          ? [`You also have ${copyEn.points(p.pointsBalance, d.pointsBalance)} waiting for you.`]
          : []),
      ],
      cta: `Use code ${p.code}`,
      code: { label: 'Your discount code', code: p.code, caption: p.rewardName },
    }),
    membership_joined: (p, d, f) => ({
      subject: `Welcome to ${p.planName} at ${p.shopName}`,
      heading: `You’re now a ${p.planName} member`,
      paragraphs: [
        `Thank you for joining ${p.planName}. Your membership is paid through ${p.paidThrough}.` +
          (d.multiplierPercent > 100
            ? ` While it lasts you earn ${f.percent(d.multiplierPercent - 100)} more points on every order.`
            : ''),
      ],
      cta: 'See my membership',
      perks: { label: `Your ${p.planName} perks`, text: d.perks },
    }),
    membership_renewal_due: (p, d) => ({
      subject: `Your ${p.planName} membership at ${p.shopName} is due for renewal`,
      heading: `Keep your ${p.planName} perks`,
      paragraphs: [
        `Your ${p.planName} membership is paid through ${p.paidThrough}. Renew it before then to keep your perks without a break – if your membership renews automatically, there is nothing for you to do.`,
      ],
      cta: 'Renew my membership',
      perks: { label: `What you keep`, text: d.perks },
    }),
    membership_lapsed: (p) => ({
      subject: `Your ${p.planName} membership at ${p.shopName} has ended`,
      heading: `We miss you in ${p.planName}`,
      paragraphs: [
        `Your ${p.planName} membership was paid through ${p.paidThrough} and has not been renewed, so it has now ended. You keep all the points you have earned, and you are welcome back any time.`,
      ],
      cta: 'Rejoin',
    }),
    survey_request: (p, d) => ({
      subject: `How was your order from ${p.shopName}?`,
      heading: 'Tell us how we did',
      paragraphs: [
        `Thank you for your order of ${p.orderedAt}. We’d love to know how it went: three quick questions, one minute at most.`,
        'Your answer goes straight to the people who can make things better.',
      ],
      cta: 'Answer the survey',
      ...(d.surveyUrl ? { ctaUrl: d.surveyUrl } : {}),
    }),
  },
};
