/**
 * `npm run bench:emails`: how fast the outbox drains into SES (local), and how long an e-mail
 * takes from the order that causes it to SES. Prints figures only.
 *
 * 1. Drain: N tier-up e-mails are queued the way the ledger queues them (customer + outbox item
 *    in one transaction), then the sweep drains them with 1, 4 and 8 sends in flight. Pacing
 *    is off (account and shop rates set high) so the figure is the pipeline's own ceiling.
 * 2. Delay: Shopify orders that cross a tier, one at a time through the webhook endpoint,
 *    while a sweep loop runs every 100 ms (what `npm start` does every 2 s, and what the table
 *    stream does at once in AWS); the delay is webhook sent → message in SES local's store.
 */
import { startSesLocal, type RunningService } from '../local/services';
import { newCustomer, type CustomerRecord } from '../shared/domain/ledger/customer';
import { senderDeps } from '../shared/wiring/outbox-runtime';
import { runtime } from '../shared/wiring/runtime';
import { drainOutbox, type SenderDeps } from '../shared/app/outbox-sender-service';
import { fmt, heading, keyValues, percentile, table } from './support/report';
import { buyer, loadSample, shopifyOrderFactory } from './support/shopify-orders';
import { createBenchShop, startStack } from './support/stack';

const settings = { drainItems: 1_000, concurrencies: [1, 4, 8], delayOrders: 60, sweepEveryMs: 100 } as const;
const log = (text = '') => console.log(text);

/** Messages SES local holds (since an epoch second: its store lists everything, bodies included). */
const sesStoreCount = async (endpoint: string, since = 0): Promise<number> => {
  const url = new URL('/store', endpoint);
  if (since) url.searchParams.set('since', String(since));
  const res = await fetch(url);
  return ((await res.json()) as { emails: unknown[] }).emails.length;
};

const queueTierUps = async (
  shopId: string,
  n: number,
  program: Parameters<ReturnType<typeof runtime>['ledger']['commit']>[2],
  from: number,
) => {
  const rt = runtime();
  const now = new Date().toISOString();
  const cids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async (_, k) => {
        const b = buyer(from + i + k);
        const c: CustomerRecord = {
          ...newCustomer(`i.${b.id}`, now),
          email: b.email,
          firstName: b.firstName,
          version: 1,
        };
        cids.push(c.cid);
        await rt.ledger.commit(
          shopId,
          {
            customer: { next: c, expectedVersion: 0 },
            emails: [
              {
                type: 'tier_up',
                cid: c.cid,
                at: now,
                data: {
                  tierName: 'Silver',
                  previousTierName: 'Bronze',
                  perks: 'Free shipping',
                  multiplierPercent: 125,
                },
              },
            ],
          },
          program,
        );
      }),
    );
  }
  return cids;
};

const main = async () => {
  const stack = await startStack();
  let ses: RunningService | undefined;
  try {
    if (!process.env.AWS_ENDPOINT_URL_SESV2) {
      ses = await startSesLocal();
      process.env.AWS_ENDPOINT_URL_SESV2 = ses.endpoint;
    }
    const sesEndpoint = process.env.AWS_ENDPOINT_URL_SESV2!;
    Object.assign(process.env, { BOOMERANG_SES_MAX_PER_SECOND: '10000', BOOMERANG_PUBLIC_BASE_URL: stack.baseUrl });
    const { shop, webhookSecret } = await createBenchShop({
      emails: { maxPerSecond: 1_000 },
      tiers: {
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: 0 },
          { id: 'silver', name: 'Silver', threshold: 100, multiplierPercent: 125, perks: 'Free shipping' },
        ],
      },
    });
    const deps: SenderDeps = await senderDeps(runtime());

    log(heading('Outbox drain into SES local'));
    log(
      keyValues([
        ['DynamoDB', stack.dynamoDescription],
        ['SES', sesEndpoint],
        ['items per run', fmt(settings.drainItems)],
      ]),
    );
    const rows: string[][] = [];
    let from = 0;
    for (const concurrency of settings.concurrencies) {
      await queueTierUps(shop.id, settings.drainItems, shop.program, from);
      from += settings.drainItems;
      const before = await sesStoreCount(sesEndpoint);
      const t0 = performance.now();
      const summary = await drainOutbox(deps, [shop.id], {
        deadlineMs: Date.now() + 600_000,
        concurrency,
        batchSize: 100,
      });
      const ms = performance.now() - t0;
      const sent = (await sesStoreCount(sesEndpoint)) - before;
      rows.push([
        String(concurrency),
        fmt(summary.sent),
        fmt(sent),
        fmt(ms / 1000, 2),
        fmt(summary.sent / (ms / 1000), 0),
        fmt(ms / summary.sent, 2),
      ]);
    }
    log(
      table(['in flight', 'settled sent', 'in SES', 'seconds', 'e-mails/s', 'ms/e-mail'], rows, [
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]),
    );
    log(
      '  Per e-mail: claim (1 conditional update), customer + suppression reads (the shop is cached 5 s), render, SES call,',
    );
    log('  settle (1 conditional update); stats counters: one UpdateItem per shop and day per batch.');

    log(heading('Order → e-mail delay'));
    const factory = shopifyOrderFactory(loadSample().template, shop.id, webhookSecret);
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await drainOutbox(deps, [shop.id], { deadlineMs: Date.now() + 60_000, concurrency: 4 });
        await new Promise((r) => setTimeout(r, settings.sweepEveryMs));
      }
    })();
    const delays: number[] = [];
    const since = Math.floor(Date.now() / 1000);
    const webhook: number[] = [];
    for (let i = 0; i < settings.delayOrders; i++) {
      const before = await sesStoreCount(sesEndpoint, since);
      const d = factory.paidOrder(100_000 + i, buyer(100_000 + i));
      const t0 = performance.now();
      const res = await fetch(`${stack.baseUrl}/webhooks/shopify/${shop.id}`, {
        method: 'POST',
        headers: d.headers,
        body: d.body,
      });
      await res.text();
      webhook.push(performance.now() - t0);
      while ((await sesStoreCount(sesEndpoint, since)) <= before) await new Promise((r) => setTimeout(r, 5));
      delays.push(performance.now() - t0);
    }
    stop = true;
    await loop;
    log(
      keyValues([
        ['orders', fmt(settings.delayOrders)],
        ['sweep interval', `${settings.sweepEveryMs} ms`],
        ['webhook answered', `p50 ${fmt(percentile(webhook, 50), 1)} ms, p95 ${fmt(percentile(webhook, 95), 1)} ms`],
        [
          'in SES after',
          `p50 ${fmt(percentile(delays, 50), 1)} ms, p95 ${fmt(percentile(delays, 95), 1)} ms, max ${fmt(Math.max(...delays), 1)} ms`,
        ],
      ]),
    );
    log('  In AWS the table stream invokes the sender instead of a timer (batching window 2 s, then the same path).');
  } finally {
    await ses?.stop();
    await stack.close();
  }
};

await main();
