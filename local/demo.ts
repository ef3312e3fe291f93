/**
 * The demo shop (issue 14, part 4): a custom-platform shop with a year of simulated behaviour,
 * sent through the real API of a running Boomerang (`npm start`) as signed webhooks and admin
 * calls, then the nightly job. `local/demo-main.ts` is the `npm run demo` entry; the test runs
 * `runDemo` small against the test stack.
 *
 * Customers are drawn from BG/NBD (purchase rate λ ~ Gamma(r, α), drop-out p ~ Beta(a, b))
 * and Gamma-Gamma (order value) with the published CDNOW parameters, seeded, so a run with the
 * same seed and the same day sends the same story. First purchases are spread over the past
 * year. The year's history goes through the bulk import (one custom-jsonl file of the same
 * bodies the webhooks carry, points awarded as if they had come in live; docs/import.md) and
 * only the last four weeks, and the referred friends, through signed webhooks.
 */
import { createHmac } from 'node:crypto';
import { SignJWT } from 'jose';
import { BoomerangClient, enc } from '../cli/client';
import { CDNOW_BGNBD_PUBLISHED } from '../shared/domain/churn/bgnbd';
import { CDNOW_GAMMA_GAMMA_PUBLISHED_USD } from '../shared/domain/churn/gamma-gamma';
import { seededRandom, simulateCustomer, type Random } from '../shared/domain/churn/simulate';
import { forEachLimited } from '../shared/domain/for-each-limited';
import { formatMinor } from '../shared/domain/money/decimal';
import { signCustom } from '../shared/domain/webhooks/signatures';
import { sleep } from '../shared/adapters/sleep';

export interface DemoProgress {
  /** A phase starts with `total` steps. */
  phase(name: string, total: number): void;
  /** One more step of the current phase done. */
  tick(): void;
}

export interface DemoOptions {
  baseUrl: string;
  operatorKey: string;
  /** Simulated customers besides referred friends (default 500). */
  customers?: number;
  seed?: number;
  /** Concurrent requests (default 12). */
  concurrency?: number;
  progress?: DemoProgress;
  /** "Today" (default now): the year simulated ends yesterday. */
  now?: Date;
}

export interface DemoResult {
  shopId: string;
  shopName: string;
  apiKey: string;
  webhookSecret: string;
  storefrontSecret: string;
  marketerEmail: string;
  /** Console users, one per role: each signs in at /console with a link from the mailbox. */
  consoleUsers: { email: string; role: 'owner' | 'marketer' | 'support' }[];
  customers: number;
  /** Customers with at least one paid order that still stands (not cancelled). */
  buyers: number;
  orders: { sent: number; accepted: number; refused: number; refunded: number; cancelled: number };
  webhooks: { sent: number; accepted: number; refused: number; firstErrors: string[] };
  /** The history import: events in the file and what the job did with them. */
  history: { importId: string; events: number; imported: number; skipped: number; failed: number; seconds: number };
  referrals: {
    codes: number;
    friends: number;
    fraudAttempts: number;
    referred: number;
    held: number;
    rejected: number;
  };
  redemptions: number;
  npsAnswers: number;
  /** Ways to earn beyond purchases: activities posted, and how many earned points. */
  activities: { posted: number; awarded: number };
  /** Customers who bought the paid VIP Club (two monthly payments each). */
  members: number;
  /** Redemptions of the stock-limited exclusive rewards. */
  exclusiveRedemptions: number;
  /** A customer with points, for the hosted page link. */
  showcaseCustomerId: string | null;
  nightly: {
    jobId: string;
    asOf: string;
    status: string;
    seconds: number;
    result: NightlyResult | undefined;
  };
  seconds: number;
}

export interface NightlyResult {
  model?: { selected?: string; customers?: number };
  segments?: Record<string, number>;
  metrics?: { customers?: number; buyers?: number; nps?: { score?: number; responses?: number } };
  export?: { csv?: { url: string }; json?: { url: string } };
}

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * CDNOW's Gamma-Gamma is in dollars (mean purchase p·γ/(q−1) ≈ $35); the shop counts EUR cents, so
 * γ (the rate of the customer's ν, a scale of the amounts) is 100× larger.
 */
const spend = { ...CDNOW_GAMMA_GAMMA_PUBLISHED_USD, v: CDNOW_GAMMA_GAMMA_PUBLISHED_USD.v * 100 };

const firstNames = [
  'Anna', 'Ben', 'Clara', 'David', 'Emma', 'Frida', 'Gustav', 'Hanna', 'Ida', 'Jonas', 'Karla', 'Lucas',
  'Maja', 'Noah', 'Olivia', 'Paul', 'Rosa', 'Sofie', 'Theo', 'Ulla', 'Vera', 'William', 'Yasmin', 'Zoe',
]; // prettier-ignore
const lastNames = ['Berg', 'Holm', 'Jensen', 'Larsen', 'Meyer', 'Nielsen', 'Petersen', 'Schmidt', 'Vogel', 'Weber'];
const catalogue = [
  { id: 'p-beans', sku: 'BEANS-1KG', title: 'Espresso beans 1 kg' },
  { id: 'p-filter', sku: 'FILTER-250', title: 'Filter roast 250 g' },
  { id: 'p-mug', sku: 'MUG-01', title: 'Stoneware mug' },
  { id: 'p-grinder', sku: 'GRIND-01', title: 'Hand grinder' },
  { id: 'p-tea', sku: 'TEA-SENCHA', title: 'Sencha tea' },
];
/** The paid membership's product: one month of the VIP Club. */
const vipSku = 'VIP-CLUB-MONTH';
const npsComments = ['Fast delivery', 'Great beans', 'Packaging could be better', 'Love the points', ''];

const money = (cents: number) => formatMinor(cents, 'EUR');
const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

interface Person {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  acceptsMarketing: boolean;
  address: { name: string; address1: string; city: string; zip: string; countryCode: string };
  paymentFingerprint: string;
}

interface Event {
  type: 'order.paid' | 'order.refunded' | 'order.cancelled';
  at: Date;
  data: Record<string, unknown>;
}

/** A customer's story: their events in time order, sent one after the other. */
interface Story {
  person: Person;
  firstDay: number;
  events: Event[];
  /** Orders that stand (paid, not cancelled) and their value after refunds, in cents. */
  standing: number;
  spentCents: number;
  orders: number;
  kind: 'customer' | 'friend' | 'fraud';
}

const personOf = (random: Random, n: number): Person => {
  const firstName = pick(random, firstNames);
  const lastName = pick(random, lastNames);
  return {
    id: `c${String(n).padStart(4, '0')}`,
    email: `${firstName}.${lastName}.${n}@demo.example`.toLowerCase(),
    firstName,
    lastName,
    acceptsMarketing: random() < 0.7,
    address: {
      name: `${firstName} ${lastName}`,
      address1: `${1 + Math.floor(random() * 120)} ${pick(random, ['Main St', 'Harbour Rd', 'Mill Lane', 'Park Ave'])} ${n}`,
      city: pick(random, ['Copenhagen', 'Aarhus', 'Hamburg', 'Berlin', 'Malmö']),
      zip: String(10000 + Math.floor(random() * 89999)),
      countryCode: pick(random, ['DK', 'DE', 'SE']),
    },
    paymentFingerprint: `fp_demo_${n}_${Math.floor(random() * 1e9).toString(36)}`,
  };
};

/**
 * The story of one customer from `firstDay` (0 = a year ago) to yesterday (`lastDay`): the
 * simulated purchases as `order.paid`, some cancelled a day later, some refunded in full or in
 * part within ten days. `extra` goes into the first order (a referral code, or a fraudulent
 * friend's borrowed identity).
 */
const storyOf = (
  random: Random,
  person: Person,
  firstDay: number,
  lastDay: number,
  start: Date,
  end: Date,
  seed: number,
  kind: Story['kind'],
  extra: Record<string, unknown> = {},
): Story => {
  const sim = simulateCustomer(random, { purchases: CDNOW_BGNBD_PUBLISHED, spend }, firstDay, lastDay);
  const story: Story = { person, firstDay, events: [], standing: 0, spentCents: 0, orders: 0, kind };
  sim.purchases.forEach((purchase, k) => {
    const at = new Date(start.getTime() + purchase.day * DAY_MS + (8 + random() * 13) * 3_600_000);
    if (at >= end) return;
    const cents = Math.max(300, purchase.amountMinor);
    // One to three lines that add up to the purchase's value.
    const nLines = cents > 4000 ? 1 + Math.floor(random() * 3) : 1;
    const lines = [];
    let left = cents;
    for (let l = 0; l < nLines; l++) {
      const item = catalogue[(l + Math.floor(random() * catalogue.length)) % catalogue.length]!;
      const price = l === nLines - 1 ? left : Math.floor(left / (nLines - l));
      left -= price;
      lines.push({
        id: `l${l + 1}`,
        productId: item.id,
        sku: item.sku,
        title: item.title,
        quantity: 1,
        price: money(price),
      });
    }
    const orderId = `demo-${seed}-${person.id}-${k + 1}`;
    const order: Record<string, unknown> = {
      id: orderId,
      number: `#${person.id.slice(1)}-${k + 1}`,
      currency: 'EUR',
      createdAt: at.toISOString(),
      customer: {
        id: person.id,
        email: person.email,
        firstName: person.firstName,
        lastName: person.lastName,
        acceptsMarketing: person.acceptsMarketing,
      },
      lines,
      subtotal: money(cents),
      shipping: '4.95',
      total: money(cents + 495),
      shippingAddress: person.address,
      paymentFingerprint: person.paymentFingerprint,
      ...(k === 0 ? extra : {}),
    };
    story.events.push({ type: 'order.paid', at, data: order });
    story.orders++;
    const fate = random();
    if (fate < 0.03) {
      const cancelAt = new Date(at.getTime() + 20 * 3_600_000);
      if (cancelAt < end) {
        story.events.push({
          type: 'order.cancelled',
          at: cancelAt,
          data: { ...order, updatedAt: cancelAt.toISOString() },
        });
        return;
      }
    } else if (fate < 0.08) {
      const refundAt = new Date(at.getTime() + (2 + random() * 8) * DAY_MS);
      if (refundAt < end) {
        const full = random() < 0.4;
        const amount = full ? cents + 495 : Math.max(100, Math.floor(cents * (0.2 + random() * 0.4)));
        story.events.push({
          type: 'order.refunded',
          at: refundAt,
          data: {
            ...order,
            updatedAt: refundAt.toISOString(),
            refunds: [
              {
                id: `r-${orderId}`,
                createdAt: refundAt.toISOString(),
                amount: money(amount),
                ...(full ? {} : { itemsNet: money(amount) }),
              },
            ],
          },
        });
        if (full) return;
        story.spentCents -= amount;
      }
    }
    story.standing++;
    story.spentCents += cents;
  });
  return story;
};

export const runDemo = async (options: DemoOptions): Promise<DemoResult> => {
  const t0 = Date.now();
  const seed = options.seed ?? 1;
  const nCustomers = options.customers ?? 500;
  const concurrency = options.concurrency ?? 12;
  const progress = options.progress ?? { phase: () => undefined, tick: () => undefined };
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const now = options.now ?? new Date();
  // The year: day 0 is 365 days before today (UTC midnight), day 364 is yesterday.
  const today = new Date(`${isoDay(now)}T00:00:00Z`);
  const start = new Date(today.getTime() - 365 * DAY_MS);
  const lastDay = 364;
  const yesterday = isoDay(new Date(today.getTime() - DAY_MS));
  const random = seededRandom(seed);

  // ── the shop ──
  const operator = new BoomerangClient({ url: baseUrl, key: options.operatorKey });
  const shopId = `demo-${seed}-${Date.now().toString(36)}`;
  const webhookSecret = `whsec_demo_${createHmac('sha256', String(seed)).update(shopId).digest('hex').slice(0, 32)}`;
  const marketerEmail = 'marketing@demo-roastery.example';
  const created = await operator.request<{
    shop: { id: string; name: string };
    apiKey: string;
    storefrontSecret: string;
  }>('POST', '/admin/shops', {
    body: {
      id: shopId,
      name: 'Demo Roastery',
      platform: 'custom',
      storefrontUrl: 'https://demo-roastery.example',
      // The local widget test page (local/widget-test-page.ts) is served from the API's origin.
      storefront: { allowedOrigins: ['https://demo-roastery.example', new URL(baseUrl).origin] },
      currency: 'EUR',
      timezone: 'Europe/Copenhagen',
      locale: 'en-GB',
      webhookSecret,
      senderEmail: 'hello@demo-roastery.example',
      marketerEmails: [marketerEmail],
      program: {
        earning: { rate: { points: 10, per: 1 } },
        returnWindowDays: 14,
        tiers: {
          enabled: true,
          qualifyOn: 'spend',
          levels: [
            { id: 'bronze', name: 'Bronze', threshold: 0 },
            { id: 'silver', name: 'Silver', threshold: 100 },
            { id: 'gold', name: 'Gold', threshold: 300 },
          ],
        },
        referrals: { enabled: true, referrerRewardPoints: 500, friendDiscountPercent: 10 },
        rewards: [
          { id: 'five-off', name: '€5 off your next order', type: 'discount_code', pointsCost: 500, valueMinor: 500 },
          { id: 'credit-10', name: '€10 store credit', type: 'store_credit', pointsCost: 1000, valueMinor: 1000 },
          {
            id: 'gesha-lot',
            name: 'Limited Gesha lot, 250 g',
            type: 'product',
            pointsCost: 1500,
            valueMinor: 2400,
            sku: 'GESHA-250',
            description: 'A VIP Club exclusive from this year’s smallest harvest',
            stock: 25,
            perCustomerLimit: 1,
            requires: { membership: 'any' },
          },
          {
            id: 'roastery-tour',
            name: 'Roastery tour and cupping',
            type: 'experience',
            pointsCost: 2000,
            valueMinor: 0,
            description: 'An evening at the roastery for Silver and Gold members',
            startsAt: new Date(now.getTime() + 30 * DAY_MS).toISOString(),
            stock: 12,
            perCustomerLimit: 1,
            requires: { tier: 'silver' },
          },
        ],
        waysToEarn: [
          { type: 'account_created', points: 100, limit: 'once' },
          { type: 'birthday', points: 250, limit: 'year' },
          { type: 'review', points: 50, limit: 'day', tierMultiplier: true },
          { type: 'newsletter', points: 100, limit: 'once' },
          { type: 'social_follow:instagram', points: 50, limit: 'once', url: 'https://instagram.com/demo.roastery' },
          { type: 'survey', points: 100, limit: 'unlimited' },
        ],
        surveys: { enabled: true, delayDays: 14 },
        membership: {
          enabled: true,
          plans: [
            {
              id: 'vip',
              name: 'VIP Club',
              skus: [vipSku],
              periodMonths: 1,
              multiplierPercent: 150,
              perks: 'Free shipping, a bag of the month and members-only lots',
            },
          ],
        },
      },
    },
  });
  const shop = new BoomerangClient({ url: baseUrl, key: created.apiKey });
  const shopPath = `/admin/shops/${enc(shopId)}`;
  const consoleUsers = [
    { email: 'owner@demo-roastery.example', role: 'owner' as const, name: 'Olivia Owner' },
    { email: marketerEmail, role: 'marketer' as const, name: 'Mads Marketer' },
    { email: 'support@demo-roastery.example', role: 'support' as const, name: 'Sofie Support' },
  ];
  for (const u of consoleUsers) await shop.request('POST', `${shopPath}/users`, { body: u });

  // ── the stories ──
  const stories: Story[] = [];
  for (let n = 1; n <= nCustomers; n++) {
    const person = personOf(random, n);
    stories.push(storyOf(random, person, Math.floor(random() * 365), lastDay, start, today, seed, 'customer'));
  }
  // Referrers: customers whose first order is in the first half of the year and who have not left.
  const referrers = stories
    .filter((s) => s.firstDay < 180 && s.standing > 0)
    .slice(0, Math.max(2, Math.round(nCustomers / 25)));
  const fraudKinds = ['same-email', 'same-address', 'same-card'] as const;
  const nFraud = Math.max(3, Math.round(nCustomers / 100));

  const webhooks = { sent: 0, accepted: 0, refused: 0, firstErrors: [] as string[] };
  const orders = { sent: 0, accepted: 0, refused: 0, refunded: 0, cancelled: 0 };
  const send = async (event: Event, eventId: string) => {
    const body = JSON.stringify({ id: eventId, type: event.type, createdAt: event.at.toISOString(), data: event.data });
    const post = () =>
      fetch(`${baseUrl}/webhooks/custom/${enc(shopId)}`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'boomerang-signature': signCustom(body, webhookSecret, new Date()),
        },
      });
    webhooks.sent++;
    if (event.type === 'order.paid') orders.sent++;
    // A platform retries a 503 (`busy`: the same customer's orders contending); so does the demo.
    let res = await post();
    for (let attempt = 1; (res.status === 503 || res.status === 429) && attempt <= 20; attempt++) {
      await res.arrayBuffer();
      await sleep(50 * attempt);
      res = await post();
    }
    const text = await res.text();
    if (res.ok) {
      webhooks.accepted++;
      if (event.type === 'order.paid') orders.accepted++;
      if (event.type === 'order.refunded') orders.refunded++;
      if (event.type === 'order.cancelled') orders.cancelled++;
    } else {
      webhooks.refused++;
      if (event.type === 'order.paid') orders.refused++;
      if (webhooks.firstErrors.length < 5) webhooks.firstErrors.push(`${event.type} ${eventId}: ${res.status} ${text}`);
    }
  };
  const eventId = (story: Story, i: number) => `evt-${shopId}-${story.person.id}-${i}`;
  const sendStories = async (batch: Story[], only: (e: Event) => boolean = () => true) => {
    await forEachLimited(batch, concurrency, async (story) => {
      for (const [i, event] of story.events.entries()) {
        if (!only(event)) continue;
        await send(event, eventId(story, i));
        progress.tick();
      }
    });
  };

  // Phase 1: the year up to four weeks ago through the bulk import, one file of the bodies the
  // webhooks would have carried; then the last four weeks as signed webhooks.
  const cutoff = new Date(today.getTime() - recentDays * DAY_MS);
  const past = stories.flatMap((story) =>
    story.events.flatMap((event, i) => (event.at < cutoff ? [{ story, event, i }] : [])),
  );
  progress.phase('history import', past.length);
  const history = await importHistory(
    shop,
    shopPath,
    past.map(({ story, event, i }) =>
      JSON.stringify({ id: eventId(story, i), type: event.type, createdAt: event.at.toISOString(), data: event.data }),
    ),
    progress,
  );
  for (const { event } of past) {
    if (event.type === 'order.paid') orders.sent++;
    if (history.failed === 0) {
      if (event.type === 'order.paid') orders.accepted++;
      if (event.type === 'order.refunded') orders.refunded++;
      if (event.type === 'order.cancelled') orders.cancelled++;
    }
  }
  if (history.failed) orders.refused += history.failed;
  progress.phase(
    'the last weeks',
    stories.reduce((n, x) => n + x.events.filter((e) => e.at >= cutoff).length, 0),
  );
  await sendStories(stories, (e) => e.at >= cutoff);

  // Phase 2: referral codes, the friends' first orders with them, and a few fraud attempts.
  progress.phase('referrals', referrers.length);
  const codes = new Map<string, string>();
  await forEachLimited(referrers, concurrency, async (r) => {
    const { referral } = await shop.request<{ referral: { code: string } }>(
      'POST',
      `${shopPath}/customers/${enc(r.person.id)}/referral-code`,
      { body: {} },
    );
    codes.set(r.person.id, referral.code);
    progress.tick();
  });
  const friends: Story[] = [];
  let n = nCustomers;
  referrers.forEach((r, i) => {
    const count = 1 + (i % 2);
    for (let f = 0; f < count; f++) {
      const firstDay = Math.min(lastDay, r.firstDay + 5 + Math.floor(random() * 150));
      const person = personOf(random, ++n);
      friends.push(
        storyOf(random, person, firstDay, lastDay, start, today, seed, 'friend', {
          referralCode: codes.get(r.person.id),
        }),
      );
    }
  });
  for (let i = 0; i < nFraud; i++) {
    const r = referrers[i % referrers.length]!;
    const kind = fraudKinds[i % fraudKinds.length]!;
    const person = personOf(random, ++n);
    if (kind === 'same-email') person.email = r.person.email;
    if (kind === 'same-address') person.address = r.person.address;
    if (kind === 'same-card') person.paymentFingerprint = r.person.paymentFingerprint;
    const firstDay = Math.min(lastDay, r.firstDay + 3 + Math.floor(random() * 60));
    friends.push(
      storyOf(random, person, firstDay, lastDay, start, today, seed, 'fraud', { referralCode: codes.get(r.person.id) }),
    );
  }
  progress.phase(
    'referred friends',
    friends.reduce((s, x) => s + x.events.length, 0),
  );
  await sendStories(friends);
  const everyone = [...stories, ...friends];

  // Phase 3: confirm the points whose return window is over (the daily job, for today), then
  // redemptions by customers with enough points, and NPS answers.
  await shop.request('POST', `${shopPath}/jobs/ledger-daily`, { body: { asOf: isoDay(now) } });
  const candidates = everyone
    .filter((s) => s.spentCents >= 5_000 && s.events.length > 0)
    .sort((a, b) => b.spentCents - a.spentCents);
  const redeemers = candidates.filter(() => random() < 0.5).slice(0, Math.max(3, Math.round(nCustomers / 10)));
  const npsAnswerers = everyone.filter((s) => s.standing > 0 && random() < 0.25);
  progress.phase('redemptions and NPS', redeemers.length + npsAnswerers.length);
  let redemptions = 0;
  let showcaseCustomerId: string | null = candidates[0]?.person.id ?? null;
  // Every random choice is drawn here, before any request, so the story does not depend on timing.
  const redeemerPlans = redeemers.map((s) => ({ s, preferCredit: random() < 0.5 }));
  const npsPlans = npsAnswerers.map((s) => {
    // Repeat buyers tend to promote, one-off buyers to be passive or critical.
    const base = s.standing >= 3 ? 8 : s.standing === 2 ? 6 : 4;
    const score = Math.max(0, Math.min(10, base + Math.floor(random() * 5) - 1));
    // The loyalty index's intent questions: buying again follows the score, trying more is lower.
    const intent = (offset: number) => Math.max(0, Math.min(10, score + offset + Math.floor(random() * 3) - 1));
    return { s, score, comment: pick(random, npsComments), buyAgain: intent(0), tryOther: intent(-2) };
  });
  await forEachLimited(redeemerPlans, concurrency, async ({ s, preferCredit }) => {
    const c = await shop.raw('GET', `${shopPath}/customers/${enc(s.person.id)}`);
    const available = (c.json as { points?: { balance?: number } } | undefined)?.points?.balance ?? 0;
    const rewardId = available >= 1500 && preferCredit ? 'credit-10' : 'five-off';
    if (available >= (rewardId === 'credit-10' ? 1000 : 500)) {
      const res = await shop.raw('POST', `${shopPath}/customers/${enc(s.person.id)}/redemptions`, {
        body: { rewardId },
        headers: { 'idempotency-key': `demo-${seed}-${s.person.id}-${rewardId}` },
      });
      if (res.status === 201 || res.status === 200) {
        redemptions++;
        showcaseCustomerId = s.person.id;
      }
    }
    progress.tick();
  });
  let npsAnswers = 0;
  await forEachLimited(npsPlans, concurrency, async ({ s, score, comment, buyAgain, tryOther }) => {
    const res = await shop.raw('POST', `${shopPath}/customers/${enc(s.person.id)}/nps`, {
      body: { score, buyAgain, tryOther, ...(comment ? { comment } : {}) },
    });
    if (res.status === 201 || res.status === 200) npsAnswers++;
    progress.tick();
  });

  // Phase 3b: engagement beyond purchases — reviews, newsletter sign-ups and follows through the
  // activities API, the paid VIP Club bought by some regulars (two monthly payments: joined, then
  // renewed), and the members-only lot redeemed by members with the points for it.
  const buyers = everyone.filter((s) => s.standing > 0);
  const engagementPlans = buyers.map((s) => ({
    s,
    review: random() < 0.3,
    newsletter: s.person.acceptsMarketing && random() < 0.25,
    follow: random() < 0.12,
    daysAgo: 1 + Math.floor(random() * 80),
    vip: s.standing >= 3 && random() < 0.3,
  }));
  const activityPosts = engagementPlans.flatMap((p) =>
    (
      [
        ['review', p.review],
        ['newsletter', p.newsletter],
        ['social_follow:instagram', p.follow],
      ] as const
    )
      .filter(([, yes]) => yes)
      .map(([type]) => ({ s: p.s, type, at: new Date(now.getTime() - p.daysAgo * DAY_MS) })),
  );
  const regulars = engagementPlans.filter((p) => p.vip).map((p) => p.s);
  // A small demo still shows one member: its most regular customer.
  const vips = regulars.length
    ? regulars
    : [...buyers].sort((a, b) => b.standing - a.standing || a.person.id.localeCompare(b.person.id)).slice(0, 1);
  progress.phase('engagement and membership', activityPosts.length + vips.length);
  const activities = { posted: 0, awarded: 0 };
  await forEachLimited(activityPosts, concurrency, async ({ s, type, at }) => {
    const res = await shop.raw('POST', `${shopPath}/customers/${enc(s.person.id)}/activities`, {
      body: { id: `demo-${seed}-${s.person.id}-${type}`, type, occurredAt: at.toISOString() },
    });
    if (res.status === 201 || res.status === 200) activities.posted++;
    if (res.status === 201) activities.awarded++;
    progress.tick();
  });
  await forEachLimited(vips, concurrency, async (s) => {
    for (const [k, daysAgo] of [45, 15].entries()) {
      const at = new Date(now.getTime() - daysAgo * DAY_MS);
      const order = {
        id: `demo-${seed}-${s.person.id}-vip-${k + 1}`,
        number: `#${s.person.id.slice(1)}-VIP${k + 1}`,
        currency: 'EUR',
        createdAt: at.toISOString(),
        customer: { id: s.person.id, email: s.person.email, firstName: s.person.firstName },
        lines: [
          { id: 'l1', productId: 'p-vip', sku: vipSku, title: 'VIP Club, one month', quantity: 1, price: '9.00' },
        ],
        subtotal: '9.00',
        total: '9.00',
        shippingAddress: s.person.address,
        paymentFingerprint: s.person.paymentFingerprint,
      };
      await send({ type: 'order.paid', at, data: order }, `evt-${order.id}`);
    }
    progress.tick();
  });
  let exclusiveRedemptions = 0;
  await forEachLimited(vips, concurrency, async (s) => {
    const res = await shop.raw('POST', `${shopPath}/customers/${enc(s.person.id)}/redemptions`, {
      body: { rewardId: 'gesha-lot' },
      headers: { 'idempotency-key': `demo-${seed}-${s.person.id}-gesha-lot` },
    });
    if (res.status === 201) exclusiveRedemptions++;
  });

  // Referral outcomes as the shop sees them.
  const stats = await shop.request<{ referredOrders?: number; heldReferrals?: number; rejectedReferrals?: number }>(
    'GET',
    `${shopPath}/referrals/stats`,
    { query: { from: isoDay(start), to: isoDay(now) } },
  );

  // Phase 4: the nightly job for yesterday, through the API.
  progress.phase('nightly job', 1);
  const nightlyStarted = Date.now();
  const { jobId } = await shop.request<{ jobId: string }>('POST', `${shopPath}/jobs/nightly`, {
    body: { asOf: yesterday },
  });
  let job: { status: string; result?: NightlyResult };
  const deadline = Date.now() + 300_000;
  for (;;) {
    job = await shop.request<typeof job>('GET', `${shopPath}/jobs/${enc(jobId)}`);
    if (job.status !== 'running') break;
    if (Date.now() > deadline) throw new Error(`nightly job ${jobId} still running after 5 minutes`);
    await sleep(250);
  }
  progress.tick();

  return {
    shopId,
    shopName: created.shop.name,
    apiKey: created.apiKey,
    webhookSecret,
    storefrontSecret: created.storefrontSecret,
    marketerEmail,
    consoleUsers: consoleUsers.map(({ email, role }) => ({ email, role })),
    customers: everyone.length,
    buyers: everyone.filter((s) => s.standing > 0).length,
    orders,
    webhooks,
    history,
    referrals: {
      codes: codes.size,
      friends: friends.filter((f) => f.kind === 'friend').length,
      fraudAttempts: nFraud,
      referred: stats.referredOrders ?? 0,
      held: stats.heldReferrals ?? 0,
      rejected: stats.rejectedReferrals ?? 0,
    },
    redemptions,
    npsAnswers,
    activities,
    members: vips.length,
    exclusiveRedemptions,
    showcaseCustomerId,
    nightly: {
      jobId,
      asOf: yesterday,
      status: job.status,
      seconds: (Date.now() - nightlyStarted) / 1000,
      result: job.result,
    },
    seconds: (Date.now() - t0) / 1000,
  };
};

/** Days before today that go through webhooks; everything older goes through the history import. */
const recentDays = 28;

/**
 * Imports history lines (custom-jsonl) with points, following the job; a tick per record done.
 * The file is the request body: a year of a demo shop is well under the 5 MB a body may carry.
 */
const importHistory = async (
  shop: BoomerangClient,
  shopPath: string,
  lines: string[],
  progress: DemoProgress,
): Promise<DemoResult['history']> => {
  const t0 = Date.now();
  const { importId } = await shop.request<{ importId: string }>('POST', `${shopPath}/imports`, {
    query: { kind: 'orders', format: 'custom-jsonl', awardPoints: 'true' },
    body: lines.join('\n') + '\n',
    headers: { 'content-type': 'application/x-ndjson' },
  });
  type Job = { status: string; progress: { processed: number }; imported: number; skipped: number; failed: number };
  let job: Job;
  let ticked = 0;
  const deadline = Date.now() + 300_000;
  for (;;) {
    job = await shop.request<Job>('GET', `${shopPath}/imports/${enc(importId)}`);
    for (; ticked < job.progress.processed; ticked++) progress.tick();
    if (job.status === 'completed' || job.status === 'failed') break;
    if (Date.now() > deadline) throw new Error(`history import ${importId} still ${job.status} after 5 minutes`);
    await sleep(100);
  }
  if (job.status !== 'completed') throw new Error(`history import ${importId} ${job.status}`);
  return {
    importId,
    events: lines.length,
    imported: job.imported,
    skipped: job.skipped,
    failed: job.failed,
    seconds: (Date.now() - t0) / 1000,
  };
};

/** A customer token (docs/storefront.md) for the hosted page, valid ten minutes. */
export const demoCustomerToken = (storefrontSecret: string, customerId: string): Promise<string> =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(customerId)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(storefrontSecret));
