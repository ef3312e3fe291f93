import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import {
  alertRecipients,
  runScheduledFeedbackAlerts,
  sendFeedbackAlerts,
  type FeedbackAlertDeps,
} from '../../../shared/app/feedback-alert-service';
import type { FeedbackStore } from '../../../shared/app/ports/feedback';
import type { MailMessage } from '../../../shared/app/ports/mailer';
import type { NpsAnswer } from '../../../shared/app/ports/nightly';
import type { ConsoleUser } from '../../../shared/app/ports/users';
import { needsFeedbackAlert } from '../../../shared/domain/surveys/alerts';
import { programSchema } from '../../../shared/schemas/program';
import { recordingLogger, testShop } from '../../support/memory-nightly';

const NOW = '2026-03-15T12:00:00.000Z';

/** The DynamoDB store's rules: listed while pending, one claim at a time (a lease), marked under the claim. */
const memoryFeedback = (answers: NpsAnswer[]) => {
  const items = new Map(
    answers.map((a) => [a.answerId, { answer: a, pending: needsFeedbackAlert(a), claim: '', lease: '' }]),
  );
  const tick = () => new Promise((r) => setImmediate(r));
  const store: FeedbackStore = {
    async pending(_shop, until, limit) {
      await tick();
      return [...items.values()]
        .filter((i) => i.pending && i.answer.at <= until)
        .slice(0, limit)
        .map((i) => ({ cid: i.answer.cid, answerId: i.answer.answerId }));
    },
    async claim(_shop, ref, { claim, now, leaseUntil }) {
      await tick();
      const i = items.get(ref.answerId)!;
      if (!i.pending || (i.lease && i.lease >= now)) return undefined;
      Object.assign(i, { claim, lease: leaseUntil });
      return i.answer;
    },
    async markAlerted(_shop, ref, claim) {
      const i = items.get(ref.answerId)!;
      if (i.claim !== claim) return false;
      Object.assign(i, { pending: false, claim: '', lease: '' });
      return true;
    },
    async release(_shop, ref, claim) {
      const i = items.get(ref.answerId)!;
      if (i.claim === claim) Object.assign(i, { claim: '', lease: '' });
    },
    async getAnswer(_shop, _cid, id) {
      return items.get(id)?.answer;
    },
  };
  return { store, items };
};

const answer = (id: string, score: number, comment?: string): NpsAnswer => ({
  cid: `i.${id}`,
  answerId: id,
  score,
  at: '2026-03-15T10:00:00.000Z',
  source: 'survey',
  ...(comment ? { comment } : {}),
});

const user = (email: string, role: ConsoleUser['role']): ConsoleUser => ({
  shopId: 'shop-1',
  userId: email,
  email,
  role,
  createdAt: NOW,
  invitedBy: 'operator',
  version: 1,
});

const setup = (answers: NpsAnswer[], users: ConsoleUser[] = [user('mia@shop.example.com', 'marketer')]) => {
  const feedback = memoryFeedback(answers);
  const sent: MailMessage[] = [];
  let failNext = false;
  let ids = 0;
  const deps: FeedbackAlertDeps = {
    feedback: feedback.store,
    ledger: { getCustomer: async () => undefined },
    users: { list: async () => users },
    mailer: {
      async send(m) {
        await new Promise((r) => setImmediate(r));
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('throttled'), { name: 'TooManyRequestsException' });
        }
        sent.push(m);
        return { messageId: `m${sent.length}` };
      },
    },
    clock: fixedClock(NOW),
    newId: () => `claim-${++ids}`,
    logger: recordingLogger().logger,
  };
  return { deps, sent, feedback, failNextSend: () => (failNext = true) };
};

describe('alertRecipients', () => {
  it('is the marketers, the shop marketer addresses and alertRecipients together, without repeats', async () => {
    const shop = testShop({
      marketerEmails: ['Marketing@shop.example.com'],
      program: programSchema.parse({ surveys: { alertRecipients: ['care@shop.example.com', 'mia@shop.example.com'] } }),
    });
    const users = [user('mia@shop.example.com', 'marketer'), user('olga@shop.example.com', 'owner')];
    expect(await alertRecipients({ users: { list: async () => users } }, shop)).toEqual([
      'mia@shop.example.com',
      'marketing@shop.example.com',
      'care@shop.example.com',
    ]);
  });

  it('falls back to the owners when there is no one else', async () => {
    const shop = testShop({ marketerEmails: [] });
    const users = [user('sam@shop.example.com', 'support'), user('olga@shop.example.com', 'owner')];
    expect(await alertRecipients({ users: { list: async () => users } }, shop)).toEqual(['olga@shop.example.com']);
  });
});

describe('sendFeedbackAlerts', () => {
  const shop = testShop({ marketerEmails: [] });

  it('alerts detractors and comments once, in one e-mail; passives and promoters without a comment not at all', async () => {
    const t = setup([answer('a', 2), answer('b', 10, 'Great mugs'), answer('c', 8), answer('d', 10)]);
    const first = await sendFeedbackAlerts(t.deps, shop, new Date(NOW));
    expect(first).toMatchObject({ alerted: 2, emails: 1, recipients: 1, left: 0 });
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0]!.to).toEqual(['mia@shop.example.com']);
    expect(await sendFeedbackAlerts(t.deps, shop, new Date(NOW))).toMatchObject({ alerted: 0, emails: 0 });
    expect(t.sent).toHaveLength(1);
  });

  it('never alerts an answer twice when runs overlap', async () => {
    const answers = Array.from({ length: 12 }, (_, i) => answer(`x${i}`, i % 7));
    const t = setup(answers);
    const runs = await Promise.all([1, 2, 3].map(() => sendFeedbackAlerts(t.deps, shop, new Date(NOW))));
    expect(runs.reduce((n, r) => n + r.alerted, 0)).toBe(12);
    const listed = t.sent.flatMap((m) => [...m.text.matchAll(/Vil anbefale: (\d+)\/10/g)].map((x) => x[1]));
    expect(listed).toHaveLength(12);
    expect([...t.feedback.items.values()].every((i) => !i.pending)).toBe(true);
  });

  it('keeps the answers pending when the send fails, and sends them on the next run', async () => {
    const t = setup([answer('a', 1)]);
    t.failNextSend();
    expect(await sendFeedbackAlerts(t.deps, shop, new Date(NOW))).toMatchObject({ alerted: 0, left: 1 });
    expect(t.sent).toHaveLength(0);
    expect(await sendFeedbackAlerts(t.deps, shop, new Date(NOW))).toMatchObject({ alerted: 1, emails: 1 });
  });

  it('looks no later than asOf', async () => {
    const t = setup([answer('a', 1)]);
    expect(await sendFeedbackAlerts(t.deps, shop, new Date('2026-03-15T09:00:00.000Z'))).toMatchObject({ alerted: 0 });
    expect(t.sent).toHaveLength(0);
  });
});

describe('runScheduledFeedbackAlerts', () => {
  it('goes on to the next shop when one fails, leaving the failed shop’s answers pending', async () => {
    const t = setup([answer('a', 2)]);
    const broken = testShop({ id: 'shop-0', marketerEmails: [] });
    const fine = testShop({ marketerEmails: [] });
    const shops = {
      async *listShopIds() {
        yield 'shop-0';
        yield 'shop-1';
      },
      get: async (id: string) => (id === 'shop-0' ? broken : fine),
    };
    const feedback = t.deps.feedback;
    const deps = {
      ...t.deps,
      shops,
      feedback: {
        ...feedback,
        pending: async (shopId: string, until: string, limit: number) => {
          if (shopId === 'shop-0') throw new Error('throttled');
          return feedback.pending(shopId, until, limit);
        },
      },
    };
    const totals = await runScheduledFeedbackAlerts(deps as typeof deps & FeedbackAlertDeps, NOW);
    expect(totals).toMatchObject({ shops: 1, failedShops: 1, alerted: 1, emails: 1 });
    expect(t.sent).toHaveLength(1);
  });
});
