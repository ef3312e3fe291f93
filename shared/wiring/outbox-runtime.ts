import { Pacer, outboxHeader, type SenderDeps } from '../app/outbox-sender-service';
import type { OutboxItem } from '../domain/emails/outbox';
import { shopCache } from '../app/shop-cache';
import { awsJsonCall, awsService, jsonError } from '../adapters/aws-http';
import { mailerFor } from '../adapters/mailer';
import { operatorKey } from '../adapters/operator-key';
import { dynamoOutboxStore } from '../adapters/outbox-store';
import type { Mailer } from '../app/ports/mailer';
import type { OutboxStore } from '../app/ports/outbox';
import type { Runtime } from './runtime';
import { publicBaseUrl } from './current-runtime';
import { unsubscribeSecretFrom } from '../domain/emails/unsubscribe-token';
import { loyaltyPageSecret } from './loyalty-page-runtime';
import { surveySecret } from './survey-runtime';
import { newId } from '../adapters/ids';
import { random } from '../adapters/random';
import { sleep } from '../adapters/sleep';

export { senderStreamRefs, type SenderStreamRef } from '../adapters/stream-records';

/**
 * The outbox sender's adapters, built from the process runtime (kept out of runtime.ts so only
 * the functions that send bundle them).
 */
let sqs: ReturnType<typeof awsJsonCall> | undefined;
const pacer = new Pacer();
/**
 * Every e-mail reads its shop; a few seconds of reuse saves most of those reads (a shop that
 * switches e-mails off is obeyed within that time).
 */
const shops = shopCache({ ttlMs: 5_000, max: 1_000, nowMs: Date.now });

export const outboxStore = (rt: Runtime): OutboxStore => dynamoOutboxStore(rt.table, rt.tableName, newId);

/** The process's SES mailer (one per configuration set), for the admin's test e-mails. */
export const mailer = (rt: Runtime): Mailer => mailerFor(rt);

export const unsubscribeSecret = async (rt: Runtime): Promise<Buffer> => {
  const key = await operatorKey(rt);
  if (!key) throw new Error('No operator key is configured, so unsubscribe links cannot be signed');
  return unsubscribeSecretFrom(key);
};

/** Asks SES local's store whether it holds a message for the item (by our outbox header). */
const sesLocalConfirmations = (endpoint: string): NonNullable<SenderDeps['confirmations']> => ({
  async sentMessageId(item: OutboxItem) {
    const url = new URL('/store', endpoint);
    url.searchParams.set('since', String(Math.floor(Date.parse(item.createdAt) / 1000) - 1));
    const res = await fetch(url);
    if (!res.ok) throw new Error(`SES local /store answered ${res.status}`);
    const { emails } = (await res.json()) as {
      emails: { messageId: string; headers?: { name: string; value: string }[] }[];
    };
    const wanted = `${item.shopId}/${item.outboxId}`;
    return emails.find((e) =>
      e.headers?.some((h) => h.name.toLowerCase() === outboxHeader.toLowerCase() && h.value === wanted),
    )?.messageId;
  },
});

const sqsDeadLetters = (queueUrl: string): NonNullable<SenderDeps['deadLetters']> => ({
  async send(item, reason) {
    // SQS's SendMessage, JSON protocol (through aws-http.ts).
    sqs ??= awsJsonCall(
      awsService({
        service: 'sqs',
        endpointId: 'SQS',
        host: (region) => `sqs.${region}.amazonaws.com`,
        error: jsonError,
        random,
      }),
      'AmazonSQS',
      '1.0',
    );
    await sqs('SendMessage', {
      QueueUrl: queueUrl,
      // References only: the item itself (and the customer's address) stay in the table.
      MessageBody: JSON.stringify({
        shopId: item.shopId,
        outboxId: item.outboxId,
        type: item.type,
        attempts: item.attempts,
        reason,
      }),
    });
  },
});

/** SES local (on this machine) keeps a store we can ask; a remote endpoint is real SES, which has none. */
const sesLocalEndpoint = (endpoint: string | undefined): string | undefined => {
  if (!endpoint) return undefined;
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]' ? endpoint : undefined;
};

/** Signs the customer's loyalty page links in e-mails (the page verifies them with the same key). */
const pageLinkSecret = async (rt: Runtime): Promise<Buffer> => {
  const secret = await loyaltyPageSecret(rt);
  if (!secret) throw new Error('No operator key is configured, so loyalty page links cannot be signed');
  return secret;
};

export const senderDeps = async (rt: Runtime, baseUrl?: string): Promise<SenderDeps> => {
  const local = sesLocalEndpoint(rt.env.AWS_ENDPOINT_URL_SESV2);
  const linkBase = publicBaseUrl(rt, baseUrl);
  return {
    outbox: outboxStore(rt),
    shops: shops.loader((id) => rt.shops.get(id)),
    ledger: rt.ledger,
    mailer: mailerFor(rt),
    clock: rt.clock,
    logger: rt.logger,
    pacer,
    sleep,
    random,
    unsubscribe: { secret: await unsubscribeSecret(rt), baseUrl: linkBase },
    loyaltyPage: { secret: await pageLinkSecret(rt), baseUrl: linkBase },
    surveys: { secret: (await surveySecret(rt))!, baseUrl: linkBase },
    ...(rt.env.BOOMERANG_OUTBOX_DLQ_URL ? { deadLetters: sqsDeadLetters(rt.env.BOOMERANG_OUTBOX_DLQ_URL) } : {}),
    ...(local ? { confirmations: sesLocalConfirmations(local) } : {}),
    limits: {
      leaseMs: rt.env.BOOMERANG_OUTBOX_LEASE_SECONDS * 1000,
      inDoubtWaitMs: (rt.env.BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS ?? (local ? 5 : 600)) * 1000,
      accountPerSecond: rt.env.BOOMERANG_SES_MAX_PER_SECOND,
    },
  };
};
