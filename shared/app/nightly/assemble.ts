import { csvHeaderFor, toJsonExport } from '../../domain/churn/export-rows';
import { loyaltyMetrics, pointValueOf } from '../../domain/churn/metrics';
import type { Shop } from '../../domain/shop';
import { nightlyEmail } from './email';
import { exportContentType, exportKey, jobFiles, jobPrefix, range, readJson, readText } from './files';
import { readModelFile } from './fit';
import type { NightlyDeps, NightlyResult } from '../ports/nightly';
import { emptySegmentCounts, type ScoredShard } from './score';
import { answersCountedUntil, type NightlyAnswer, type SegmentRead, type StepInput } from './summarise';
import { dayMetrics } from '../../domain/metrics/day-metrics';

/** Export links stay valid this long. */
export const downloadValiditySeconds = 24 * 3600;

/**
 * Sends the marketers' e-mail. A failure is logged, never thrown: the run has succeeded and
 * its exports are in place. (At most once for now; the e-mail outbox will make it exactly once.)
 */
export const notifyMarketers = async (deps: NightlyDeps, shop: Shop, result: NightlyResult): Promise<void> => {
  if (!shop.marketerEmails.length) return;
  try {
    const sent = await deps.mailer.send(nightlyEmail(shop, result));
    deps.logger.info('nightly e-mail sent', {
      shopId: shop.id,
      asOf: result.asOf,
      recipients: shop.marketerEmails.length,
      messageId: sent.messageId,
    });
  } catch (e) {
    deps.logger.error('nightly e-mail failed', { shopId: shop.id, asOf: result.asOf, error: e });
  }
};

/** The segments' read figures, summed; undefined when a segment wrote none (a run started before they were). */
const readOf = async (deps: NightlyDeps, files: ReturnType<typeof jobFiles>, totalSegments: number) => {
  const texts = await Promise.all(range(totalSegments).map((k) => deps.sink.get(files.read(k))));
  if (texts.some((t) => t === undefined)) return undefined;
  const reads = texts.map((t) => JSON.parse(t!) as SegmentRead);
  return {
    items: reads.reduce((n, r) => n + r.items, 0),
    source: reads.some((r) => r.source === 'scan') ? ('scan' as const) : ('summaries' as const),
  };
};

/**
 * Step 4, once: the export files (CSV header once, then every shard's rows; JSON), the
 * metrics, the job record (succeeded, with the result), then the e-mail and the clean-up of the
 * run's scratch data. A repeat after success does nothing.
 */
export const assemble = async (deps: NightlyDeps, input: StepInput) => {
  const { shopId, jobId, asOf, totalSegments } = input;
  const job = await deps.store.getJob(shopId, jobId);
  if (job?.status === 'succeeded') return { step: 'assemble' as const, status: 'succeeded' as const, jobId };
  const shop = await deps.shops.get(shopId);
  if (!shop) throw new Error(`Shop ${shopId} no longer exists`);
  const files = jobFiles(shopId, jobId);
  const [model, answerFile, scored, csvParts, read] = await Promise.all([
    readModelFile(deps.sink, files.model),
    readJson<(NightlyAnswer | number)[]>(deps.sink, files.nps),
    Promise.all(range(totalSegments).map((k) => readJson<ScoredShard>(deps.sink, files.scored(k)))),
    Promise.all(range(totalSegments).map((k) => readText(deps.sink, files.csvPart(k)))),
    readOf(deps, files, totalSegments),
  ]);
  const now = deps.clock.now().toISOString();
  const rows = scored.flatMap((s) => s.rows);
  const csvKey = exportKey(shopId, asOf, 'csv');
  const jsonKey = exportKey(shopId, asOf, 'json');
  await Promise.all([
    deps.sink.put(csvKey, csvHeaderFor(model.horizonDays) + csvParts.join(''), exportContentType.csv),
    deps.sink.put(
      jsonKey,
      JSON.stringify(
        toJsonExport(rows, {
          shopId,
          asOf,
          generatedAt: now,
          currency: shop.currency,
          horizonDays: model.horizonDays,
          model: model.result.selected,
        }),
      ),
      exportContentType.json,
    ),
  ]);
  const [csv, json] = await Promise.all([
    deps.sink.downloadUrl(csvKey, downloadValiditySeconds),
    deps.sink.downloadUrl(jsonKey, downloadValiditySeconds),
  ]);

  // A run whose fit wrote scores only (before the loyalty index; a run spanning a deploy) has no cids.
  const answers = answerFile.map((a) => (typeof a === 'number' ? { cid: '', score: a } : a));
  const customers = scored.flatMap((s) => s.metrics);
  const segments = emptySegmentCounts();
  for (const s of scored)
    for (const [name, n] of Object.entries(s.segments)) segments[name as keyof typeof segments] += n;
  const result: NightlyResult = {
    asOf,
    model: model.result,
    segments,
    metrics: loyaltyMetrics({
      customers,
      // Without rewards points buy nothing yet: the liability is worth 0.
      pointValueMinor: pointValueOf(shop.program.rewards) ?? { valueMinor: 0, points: 1 },
      npsAnswers: answers.map((a) => a.score),
    }),
    loyalty: dayMetrics({
      asOf,
      answersUntil: answersCountedUntil(asOf, job?.createdAt),
      customers: customers.map((c) => ({ ...c, member: c.member ?? false })),
      answers,
    }),
    export: { csv, json },
    ...(read ? { read } : {}),
  };
  // Before the job completes: a run that fails here is retried whole, and a repeat for the same
  // day writes the same item again.
  if (deps.metrics && result.loyalty) await deps.metrics.putDay(shopId, result.loyalty);
  await deps.store.completeJob(shopId, jobId, result, now);
  deps.logger.info('nightly job succeeded', {
    shopId,
    jobId,
    asOf,
    customers: result.model.customers,
    transitions: scored.reduce((t, s) => t + s.transitions, 0),
  });

  await notifyMarketers(deps, shop, result);
  try {
    await deps.sink.deletePrefix(jobPrefix(shopId, jobId));
  } catch (e) {
    deps.logger.warn('nightly scratch clean-up failed', { shopId, jobId, error: e });
  }
  return { step: 'assemble' as const, status: 'succeeded' as const, jobId, result };
};
