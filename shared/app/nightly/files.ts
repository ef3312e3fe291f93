/**
 * Where a run keeps its bulk data in the export sink. Steps hand each other files, never large
 * return values: a Step Functions state holds at most 256 KB.
 *
 *   jobs/<shop>/<job>/summaries/<segment>.json   summarise: that segment's customers, counted orders, NPS answers
 *   jobs/<shop>/<job>/read/<segment>.json        summarise: what the segment read from DynamoDB (items examined)
 *   jobs/<shop>/<job>/model.json                 fit: fitted parameters, the result's model block, currency
 *   jobs/<shop>/<job>/nps.json                   fit: every NPS answer up to the as-of day
 *   jobs/<shop>/<job>/shards/<k>.json            fit: customers to score in shard k, with their summaries
 * and RFM scores
 *   jobs/<shop>/<job>/scored/<k>.json            score: export rows, metric inputs, segment counts of shard k
 *   jobs/<shop>/<job>/csv/<k>.csv                score: shard k's CSV rows (no header)
 *   exports/<shop>/<asOf>/customers.csv|json     assemble: the night's export
 *
 * `jobs/…` is scratch: assemble removes it after a successful run (and the bucket expires it).
 */
import type { ExportSink } from '../ports/nightly';

export const jobPrefix = (shopId: string, jobId: string): string => `jobs/${shopId}/${jobId}/`;

export const jobFiles = (shopId: string, jobId: string) => {
  const p = jobPrefix(shopId, jobId);
  return {
    summary: (segment: number) => `${p}summaries/${segment}.json`,
    read: (segment: number) => `${p}read/${segment}.json`,
    model: `${p}model.json`,
    nps: `${p}nps.json`,
    shard: (k: number) => `${p}shards/${k}.json`,
    scored: (k: number) => `${p}scored/${k}.json`,
    csvPart: (k: number) => `${p}csv/${k}.csv`,
  };
};

export const exportKey = (shopId: string, asOf: string, format: 'csv' | 'json'): string =>
  `exports/${shopId}/${asOf}/customers.${format}`;

export const exportContentType = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;

export const readJson = async <T>(sink: ExportSink, key: string): Promise<T> => {
  const text = await sink.get(key);
  if (text === undefined) throw new Error(`Job data ${key} is missing: did the previous step run?`);
  return JSON.parse(text) as T;
};

export const readText = async (sink: ExportSink, key: string): Promise<string> => {
  const text = await sink.get(key);
  if (text === undefined) throw new Error(`Job data ${key} is missing: did the previous step run?`);
  return text;
};

export const writeJson = (sink: ExportSink, key: string, value: unknown): Promise<void> =>
  sink.put(key, JSON.stringify(value), 'application/json');

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
