import { createHash } from 'node:crypto';
import { fixedClock } from '../../shared/adapters/clock';
import type { Clock } from '../../shared/app/ports/clock';
import type { Logger } from '../../shared/app/ports/logger';
import type { MailMessage, Mailer } from '../../shared/app/ports/mailer';
import type {
  ModelChoice,
  ExportSink,
  JobProgress,
  NightlyDeps,
  NightlyJob,
  NightlyStore,
  ScannedItem,
  SegmentChangedEvent,
  SegmentRecord,
  SegmentWrite,
} from '../../shared/app/ports/nightly';
import { newCustomer, type CustomerRecord } from '../../shared/domain/ledger/customer';
import type { OrderRecord } from '../../shared/domain/ledger/order-record';
import type { Shop } from '../../shared/domain/shop';
import { defaultProgram } from '../../shared/schemas/program';

/**
 * In-memory ports for the nightly pipeline (shared/app/nightly): the same contracts as the
 * DynamoDB store, the file/S3 sink and SES, for fast unit tests.
 */

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

/** Which scan segment an item falls in: by a hash of its key, as DynamoDB does by partition. */
const segmentOf = (key: string, total: number) => createHash('sha256').update(key).digest().readUInt32BE(0) % total;

export const memoryNightlyStore = () => {
  const items = new Map<string, ScannedItem[]>();
  const segments = new Map<string, SegmentRecord>();
  const events: (SegmentChangedEvent & { shopId: string; cid: string })[] = [];
  /** Outgoing webhook events written with the segment changes. */
  const outgoing: NonNullable<SegmentWrite['outgoing']>[] = [];
  const jobs = new Map<string, NightlyJob>();
  const choices = new Map<string, ModelChoice>();
  /** Every progress recorded, in order. */
  const progressLog: (JobProgress & { jobId: string })[] = [];
  const k = (shopId: string, id: string) => `${shopId}|${id}`;
  const itemKey = (i: ScannedItem) =>
    i.kind === 'customer'
      ? `C#${i.customer.cid}`
      : i.kind === 'order'
        ? `O#${i.order.orderId}`
        : `N#${i.answer.answerId}`;

  const store: NightlyStore = {
    async *scanShop(shopId, segment, totalSegments) {
      const mine = (items.get(shopId) ?? []).filter((i) => segmentOf(itemKey(i), totalSegments) === segment);
      // Two pages when there is enough, like a paginated scan.
      const half = Math.ceil(mine.length / 2);
      if (mine.length) yield clone(mine.slice(0, half));
      if (mine.length > half) yield clone(mine.slice(half));
    },
    async getSegment(shopId, cid) {
      return clone(segments.get(k(shopId, cid)));
    },
    async getSegments(shopId, cids) {
      const out = new Map<string, SegmentRecord>();
      for (const cid of cids) {
        const s = segments.get(k(shopId, cid));
        if (s) out.set(cid, clone(s));
      }
      return out;
    },
    async writeSegments(shopId, writes) {
      for (const w of writes) {
        const current = segments.get(k(shopId, w.record.cid));
        if (w.event && current && current.asOf > w.record.asOf) continue;
        segments.set(k(shopId, w.record.cid), clone(w.record));
        if (w.event) events.push({ ...clone(w.event), shopId, cid: w.record.cid });
        if (w.outgoing) outgoing.push(clone(w.outgoing));
      }
    },
    async getModelChoice(shopId) {
      return clone(choices.get(shopId));
    },
    async putModelChoice(shopId, choice) {
      const current = choices.get(shopId);
      if (!current || current.asOf <= choice.asOf) choices.set(shopId, clone(choice));
    },
    async putNpsAnswer(shopId, answer) {
      add(shopId, { kind: 'nps', answer });
      return true;
    },
    async createJob(job) {
      const current = jobs.get(k(job.shopId, job.jobId));
      if (current && current.status !== 'failed') return false;
      jobs.set(k(job.shopId, job.jobId), clone(job));
      return true;
    },
    async getJob(shopId, jobId) {
      return clone(jobs.get(k(shopId, jobId)));
    },
    async listJobs(shopId, page) {
      const all = [...jobs.values()]
        .filter((j) => j.shopId === shopId)
        .sort((a, b) => `${b.createdAt}#${b.jobId}`.localeCompare(`${a.createdAt}#${a.jobId}`));
      const start = page.cursor ? Number(page.cursor) : 0;
      const items = all.slice(start, start + page.limit).map((j) => clone(j));
      return start + page.limit < all.length ? { items, nextCursor: String(start + page.limit) } : { items };
    },
    async completeJob(shopId, jobId, result, at) {
      const job = jobs.get(k(shopId, jobId));
      if (!job) throw new Error('ConditionalCheckFailed');
      const { error: _e, ...rest } = job;
      jobs.set(k(shopId, jobId), { ...rest, status: 'succeeded', result: clone(result), updatedAt: at });
    },
    async failJob(shopId, jobId, error, at) {
      const job = jobs.get(k(shopId, jobId));
      if (!job || job.status === 'succeeded') return false;
      jobs.set(k(shopId, jobId), { ...job, status: 'failed', error, updatedAt: at });
      return true;
    },
    async setJobProgress(shopId, jobId, progress, at) {
      const job = jobs.get(k(shopId, jobId));
      if (!job || job.status !== 'running') return false;
      jobs.set(k(shopId, jobId), { ...job, progress: clone(progress), updatedAt: at });
      progressLog.push({ jobId, ...clone(progress) });
      return true;
    },
  };
  const add = (shopId: string, ...more: ScannedItem[]) =>
    items.set(shopId, [...(items.get(shopId) ?? []), ...clone(more)]);
  return { store, add, segments, events, outgoing, jobs, progressLog, choices };
};

export const memorySink = () => {
  const files = new Map<string, { body: string; contentType: string }>();
  const sink: ExportSink = {
    async put(key, body, contentType) {
      files.set(key, { body, contentType });
    },
    async get(key) {
      return files.get(key)?.body;
    },
    async deletePrefix(prefix) {
      for (const key of [...files.keys()]) if (key.startsWith(prefix)) files.delete(key);
    },
    async downloadUrl(key, expiresInSeconds) {
      return {
        key,
        url: `memory://${key}`,
        expiresAt: new Date(Date.parse('2026-01-01T00:00:00Z') + expiresInSeconds * 1000).toISOString(),
      };
    },
  };
  return { sink, files };
};

export const memoryMailer = (fail = false) => {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    async send(m) {
      if (fail) throw new Error('SES is down');
      sent.push(m);
      return { messageId: `m-${sent.length}` };
    },
  };
  return { mailer, sent };
};

export const recordingLogger = () => {
  const lines: { level: string; message: string; data?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, data?: Record<string, unknown>) => {
    lines.push({ level, message, data });
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
};

export const testShop = (over: Partial<Shop> = {}): Shop => ({
  id: 'shop-1',
  name: 'Test Shop',
  platform: 'custom',
  storefrontUrl: 'https://shop.example.com',
  currency: 'DKK',
  timezone: 'Europe/Copenhagen',
  locale: 'da-DK',
  senderEmail: 'hello@shop.example.com',
  marketerEmails: ['marketing@shop.example.com'],
  program: defaultProgram(),
  status: 'active',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  version: 1,
  apiKeyHash: 'x',
  apiKeyHint: 'x',
  webhookSecret: 'whsec_xxxxxxxxxxxx',
  webhookSecretSetAt: '2025-01-01T00:00:00.000Z',
  ...over,
});

/** A paid, qualified order of one line. */
export const paidOrder = (
  cid: string,
  orderId: string,
  createdAt: string,
  netMinor: number,
  over: Partial<OrderRecord> = {},
): OrderRecord => ({
  orderId,
  cid,
  state: {
    currency: 'DKK',
    createdAt,
    updatedAt: createdAt,
    financialStatus: 'paid',
    test: false,
    lines: [{ lineId: '1', productId: `p-${netMinor % 3}`, sku: 'SKU', netMinor }],
    shippingMinor: 0,
    totalMinor: netMinor,
  },
  paidAt: createdAt,
  refunds: {},
  earn: { rule: defaultProgram().earning, firstOrder: false, earnedAt: createdAt, confirmDueAt: createdAt },
  awarded: { points: Math.floor(netMinor / 100), credit: 0 },
  confirmed: false,
  version: 1,
  ...over,
});

export const customer = (cid: string, over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  ...newCustomer(cid, '2025-01-01T00:00:00.000Z'),
  email: `${cid.slice(2)}@example.com`,
  platformCustomerId: cid.slice(2),
  ...over,
});

export interface MemoryNightly {
  deps: NightlyDeps;
  store: ReturnType<typeof memoryNightlyStore>;
  sink: ReturnType<typeof memorySink>;
  mail: ReturnType<typeof memoryMailer>;
  log: ReturnType<typeof recordingLogger>;
  setClock(clock: Clock): void;
}

export const memoryNightly = (shop: Shop, options: { mailFails?: boolean; at?: string } = {}): MemoryNightly => {
  const store = memoryNightlyStore();
  const sink = memorySink();
  const mail = memoryMailer(options.mailFails);
  const log = recordingLogger();
  let n = 0;
  const deps: NightlyDeps = {
    store: store.store,
    sink: sink.sink,
    mailer: mail.mailer,
    shops: { get: async (id) => (id === shop.id ? shop : undefined) },
    clock: fixedClock(options.at ?? '2026-04-01T01:00:00.000Z'),
    logger: log.logger,
    newId: () => `ID${String(++n).padStart(24, '0')}`,
  };
  return {
    deps,
    store,
    sink,
    mail,
    log,
    setClock: (clock) => {
      deps.clock = clock;
    },
  };
};
