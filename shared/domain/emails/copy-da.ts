import type { LocaleCopy } from './copy';

/**
 * Danish copy, in the du-form Danish shops use with their customers. "Point" is the same in
 * singular and plural; compounds with a tier name take a hyphen ("Guld-medlem").
 */
export const copyDa: LocaleCopy = {
  greeting: (firstName) => (firstName ? `Hej ${firstName},` : 'Hej,'),
  // "hos <shop>" rather than a genitive, which would go wrong for names ending in s, x or z.
  reason: (shop) => `Du får denne e-mail, fordi du er medlem af kundeklubben hos ${shop}.`,
  unsubscribe: 'Afmeld disse e-mails',
  points: (count) => `${count} point`,
  orders: (count, n) => `${count} ${n === 1 ? 'ordre' : 'ordrer'}`,
  qualifyOn: { spend: 'køb', points: 'point', orders: 'ordrer' },
  types: {
    tier_up: (p, d, f) => ({
      subject: `Tillykke! Du er nu ${p.tierName}-medlem hos ${p.shopName}`,
      heading: `Velkommen som ${p.tierName}-medlem!`,
      paragraphs: [
        `Tak fordi du handler hos os. Du er rykket op fra ${p.previousTierName} til ${p.tierName}.` +
          (d.multiplierPercent > 100
            ? ` Fra nu af får du ${f.percent(d.multiplierPercent - 100)} flere point på hver ordre.`
            : ''),
      ],
      cta: 'Se mit medlemskab',
      perks: { label: `Dine fordele som ${p.tierName}-medlem`, text: d.perks },
    }),
    tier_down_warning: (p, d, f) => {
      const need =
        d.qualifyOn === 'spend'
          ? `handle for ${p.toKeep} mere`
          : d.qualifyOn === 'points'
            ? `optjene ${p.toKeep} mere`
            : `handle ${f.integer(d.toKeep)} ${d.toKeep === 1 ? 'gang' : 'gange'} mere`;
      return {
        subject: `Behold din ${p.tierName}-status hos ${p.shopName}`,
        heading: `Din ${p.tierName}-status udløber snart`,
        paragraphs: [
          `Hvis intet ændrer sig, rykker du fra ${p.tierName} ned til ${p.nextTierName} den ${p.downgradeAt}. For at beholde ${p.tierName} skal du ${need} inden da.`,
          'Alle køb tæller, så det er et godt tidspunkt at forkæle dig selv.',
        ],
        cta: 'Se min status',
      };
    },
    tier_down: (p, d) => ({
      subject: `Dit medlemsniveau hos ${p.shopName} er ændret`,
      heading: `Du er nu ${p.tierName}-medlem`,
      paragraphs: [
        `Dit medlemskab er ændret fra ${p.previousTierName} til ${p.tierName}. Du beholder alle de point, du har optjent, og hvert køb bringer dig tættere på at rykke op igen.`,
      ],
      cta: 'Se mine point',
      perks: { label: `Dine fordele som ${p.tierName}-medlem`, text: d.perks },
    }),
    points_expiring: (p) => ({
      subject: `Dine point hos ${p.shopName} udløber den ${p.expiresAt}`,
      heading: `Mist ikke dine ${p.points} point`,
      paragraphs: [
        `Du har ${p.points} point, som udløber den ${p.expiresAt}. Brug dem på en belønning – eller handl igen, så beholder du dem.`,
      ],
      cta: 'Brug mine point',
    }),
    referral_reward_earned: (p) => ({
      subject: `Du har optjent ${p.points} point for at anbefale en ven`,
      heading: 'Tak fordi du anbefaler os!',
      paragraphs: [
        `${p.friendFirstName ? `Din ven ${p.friendFirstName}` : 'En ven, du har anbefalet,'} har lige handlet hos ${p.shopName} for første gang, så du har optjent ${p.points} point.` +
          (p.confirmsAt ? ` Du kan bruge dem fra den ${p.confirmsAt}, når returfristen er udløbet.` : ''),
        'Bliv ved med at dele – hver ven, der handler, giver dig flere point.',
      ],
      cta: 'Se mine point',
    }),
    friend_welcome: (p) => ({
      subject: p.referrerFirstName
        ? `Velkommen til ${p.shopName} – takket være ${p.referrerFirstName}`
        : `Velkommen i kundeklubben hos ${p.shopName}`,
      heading: `Velkommen til ${p.shopName}!`,
      paragraphs: [
        `Tak for din første ordre${p.referrerFirstName ? `, og fordi du kom via en anbefaling fra ${p.referrerFirstName}` : ' via en vens anbefaling'}.` +
          ` Du fik ${p.discountPercent} rabat, og nu er du medlem af kundeklubben: hver ordre giver dig point.`,
        p.referralCode
          ? 'Nu er det din tur: del din egen kode herunder, og få point, hver gang en ven handler med den.'
          : 'Nu er det din tur: inviter dine venner, og få point, hver gang en af dem handler.',
      ],
      cta: 'Gå til butikken',
      ...(p.referralUrl ? { ctaUrl: p.referralUrl } : {}),
      ...(p.referralCode ? { code: { label: 'Din kode til at dele', code: p.referralCode } } : {}),
    }),
    winback_reminder: (p, d) => ({
      subject: `Vi savner dig hos ${p.shopName}`,
      heading: 'Det er længe siden!',
      paragraphs: [
        p.lastOrderAt
          ? `Din seneste ordre hos os var den ${p.lastOrderAt}, og vi vil rigtig gerne se dig igen.`
          : 'Det er længe siden, vi har set dig, og vi vil rigtig gerne se dig igen.',
        ...(d.pointsBalance > 0
          ? [`Du har ${p.pointsBalance} point, der venter på dig – brug dem på din næste ordre.`]
          : []),
      ],
      cta: 'Se nyhederne',
    }),
    winback_incentive: (p, d) => ({
      subject: `En gave til dig: ${p.valueMinor} rabat hos ${p.shopName}`,
      heading: `Her er ${p.valueMinor} rabat på din næste ordre`,
      paragraphs: [
        `Vi har savnet dig, så her er en lille velkomstgave: ${p.valueMinor} rabat på din næste ordre. Brug koden ${p.code}, når du betaler.`,
        ...(d.pointsBalance > 0 ? [`Du har også ${p.pointsBalance} point, der venter på dig.`] : []),
      ],
      cta: `Brug koden ${p.code}`,
      code: { label: 'Din rabatkode', code: p.code, caption: p.rewardName },
    }),
    membership_joined: (p, d, f) => ({
      subject: `Velkommen i ${p.planName} hos ${p.shopName}`,
      heading: `Du er nu medlem af ${p.planName}`,
      paragraphs: [
        `Tak fordi du har meldt dig ind i ${p.planName}. Dit medlemskab er betalt til og med ${p.paidThrough}.` +
          (d.multiplierPercent > 100
            ? ` Så længe det varer, får du ${f.percent(d.multiplierPercent - 100)} flere point på hver ordre.`
            : ''),
      ],
      cta: 'Se mit medlemskab',
      perks: { label: `Dine fordele i ${p.planName}`, text: d.perks },
    }),
    membership_renewal_due: (p, d) => ({
      subject: `Dit medlemskab af ${p.planName} hos ${p.shopName} skal fornyes`,
      heading: `Behold dine fordele i ${p.planName}`,
      paragraphs: [
        `Dit medlemskab af ${p.planName} er betalt til og med ${p.paidThrough}. Forny det inden da, så du beholder dine fordele uden afbrydelse – fornyes dit medlemskab automatisk, skal du ikke gøre noget.`,
      ],
      cta: 'Forny mit medlemskab',
      perks: { label: 'Det beholder du', text: d.perks },
    }),
    membership_lapsed: (p) => ({
      subject: `Dit medlemskab af ${p.planName} hos ${p.shopName} er udløbet`,
      heading: `Vi savner dig i ${p.planName}`,
      paragraphs: [
        `Dit medlemskab af ${p.planName} var betalt til og med ${p.paidThrough} og er ikke blevet fornyet, så det er nu udløbet. Du beholder alle dine point, og du er altid velkommen tilbage.`,
      ],
      cta: 'Meld dig ind igen',
    }),
    survey_request: (p, d) => ({
      subject: `Hvordan gik din ordre hos ${p.shopName}?`,
      heading: 'Fortæl os, hvordan vi klarede os',
      paragraphs: [
        `Tak for din ordre fra den ${p.orderedAt}. Vi vil gerne høre, hvordan det gik: tre hurtige spørgsmål, højst et minut.`,
        'Dit svar går direkte til dem, der kan gøre tingene bedre.',
      ],
      cta: 'Besvar undersøgelsen',
      ...(d.surveyUrl ? { ctaUrl: d.surveyUrl } : {}),
    }),
  },
};
