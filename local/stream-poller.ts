/**
 * The table stream without Lambda: reads DynamoDB Local's stream (the Streams API, which it
 * serves on its own endpoint) and hands each page of records to a callback, as the event source
 * mapping hands batches to the `customer-summaries` function in AWS. `npm start` drains it on a
 * timer; `npm start` and the integration tests also register `drain` as the nightly run's
 * catch-up (shared/wiring/summary-runtime.ts), so a run sees every write made before it.
 *
 * Every shard is read from TRIM_HORIZON the first time, then on from where the last page ended;
 * shards are read one after the other in the order DescribeStream lists them (a parent before
 * its children), so the records of one item are handed over in order. The endpoint is
 * AWS_ENDPOINT_URL_DYNAMODB_STREAMS, else AWS_ENDPOINT_URL_DYNAMODB.
 */
import { awsJsonCall, awsService, jsonError } from '../shared/adapters/aws-http';
import { applySummaryRecords } from '../shared/app/customer-summary-service';
import { applyDailyStatsRecords } from '../shared/app/daily-stats-service';
import { statsDeps, statsRecords } from '../shared/wiring/stats-runtime';
import { runtime } from '../shared/wiring/runtime';
import { setSummaryCatchUp, summaryDeps, summaryRecords } from '../shared/wiring/summary-runtime';

export interface StreamPoller {
  /** Reads every shard until it has no more records; resolves with the number of records handed over. */
  drain(): Promise<number>;
}

interface ShardState {
  iterator?: string;
  lastSequence?: string;
  closed: boolean;
}

type Call = ReturnType<typeof awsJsonCall>;

type AttributeValue = Record<string, unknown>;

/** DynamoDB Local writes an empty map as `{}` in stream images (DynamoDB writes `{ M: {} }`): mended here. */
const mended = (v: AttributeValue): AttributeValue => {
  if (Object.keys(v).length === 0) return { M: {} };
  if (v.M && typeof v.M === 'object') return { M: mendedImage(v.M as Record<string, AttributeValue>) };
  if (Array.isArray(v.L)) return { L: (v.L as AttributeValue[]).map(mended) };
  return v;
};
const mendedImage = (image: Record<string, AttributeValue>) =>
  Object.fromEntries(Object.entries(image).map(([k, v]) => [k, mended(v)]));
const mendedRecord = (r: StreamRecordOut & { dynamodb?: Record<string, unknown> }) => {
  const d = r.dynamodb;
  if (!d) return r;
  const images = Object.fromEntries(
    (['NewImage', 'OldImage'] as const)
      .filter((k) => d[k])
      .map((k) => [k, mendedImage(d[k] as Record<string, AttributeValue>)]),
  );
  return { ...r, dynamodb: { ...d, ...images } };
};

interface StreamRecordOut {
  dynamodb?: { SequenceNumber?: string };
}

export const streamPoller = (o: {
  tableName: string;
  /**
   * One page of records (at most `pageSize`), oldest first; throwing stops the drain (the page
   * is read again next time).
   */
  onRecords: (records: readonly unknown[]) => Promise<void>;
  pageSize?: number;
}): StreamPoller => {
  let calls: { dynamo: Call; streams: Call } | undefined;
  const connect = () => {
    if (calls) return calls;
    const env = process.env;
    const streamsEndpoint = env.AWS_ENDPOINT_URL_DYNAMODB_STREAMS ?? env.AWS_ENDPOINT_URL_DYNAMODB;
    const service = (endpointId: string, host: (region: string) => string, streams: boolean) =>
      awsService({
        service: 'dynamodb',
        endpointId,
        host,
        error: jsonError,
        env: streams && streamsEndpoint ? { ...env, AWS_ENDPOINT_URL_DYNAMODB_STREAMS: streamsEndpoint } : env,
      });
    calls = {
      dynamo: awsJsonCall(
        service('DYNAMODB', (r) => `dynamodb.${r}.amazonaws.com`, false),
        'DynamoDB_20120810',
        '1.0',
      ),
      streams: awsJsonCall(
        service('DYNAMODB_STREAMS', (r) => `streams.dynamodb.${r}.amazonaws.com`, true),
        'DynamoDBStreams_20120810',
        '1.0',
      ),
    };
    return calls;
  };

  let streamArn: string | undefined;
  const shards = new Map<string, ShardState>();

  const listShards = async (streams: Call, arn: string): Promise<string[]> => {
    const ids: string[] = [];
    let start: string | undefined;
    do {
      const out = await streams<{
        StreamDescription: { Shards?: { ShardId: string }[]; LastEvaluatedShardId?: string };
      }>('DescribeStream', { StreamArn: arn, ...(start ? { ExclusiveStartShardId: start } : {}) });
      ids.push(...(out.StreamDescription.Shards ?? []).map((s) => s.ShardId));
      start = out.StreamDescription.LastEvaluatedShardId;
    } while (start);
    return ids;
  };

  const iteratorFor = async (streams: Call, arn: string, shardId: string, state: ShardState) => {
    const out = await streams<{ ShardIterator?: string }>('GetShardIterator', {
      StreamArn: arn,
      ShardId: shardId,
      ...(state.lastSequence
        ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequence }
        : { ShardIteratorType: 'TRIM_HORIZON' }),
    });
    return out.ShardIterator;
  };

  const drainShard = async (streams: Call, arn: string, shardId: string, state: ShardState): Promise<number> => {
    let handed = 0;
    for (;;) {
      state.iterator ??= await iteratorFor(streams, arn, shardId, state);
      if (!state.iterator) {
        state.closed = true;
        return handed;
      }
      let out: { Records?: StreamRecordOut[]; NextShardIterator?: string };
      try {
        out = await streams('GetRecords', { ShardIterator: state.iterator, Limit: o.pageSize ?? 1000 });
      } catch (e) {
        const name = (e as Error).name;
        if (name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException') {
          if (name === 'TrimmedDataAccessException') delete state.lastSequence;
          delete state.iterator;
          continue;
        }
        throw e;
      }
      const records = out.Records ?? [];
      if (records.length) {
        await o.onRecords(records.map(mendedRecord));
        handed += records.length;
        state.lastSequence = records[records.length - 1]!.dynamodb?.SequenceNumber ?? state.lastSequence;
      }
      state.iterator = out.NextShardIterator;
      if (!state.iterator) {
        state.closed = true;
        return handed;
      }
      if (!records.length) return handed;
    }
  };

  const drainOnce = async (): Promise<number> => {
    const { dynamo, streams } = connect();
    streamArn ??= (await dynamo<{ Table: { LatestStreamArn?: string } }>('DescribeTable', { TableName: o.tableName }))
      .Table.LatestStreamArn;
    if (!streamArn) return 0;
    let handed = 0;
    for (const shardId of await listShards(streams, streamArn)) {
      const state = shards.get(shardId) ?? { closed: false };
      shards.set(shardId, state);
      if (!state.closed) handed += await drainShard(streams, streamArn, shardId, state);
    }
    return handed;
  };

  // One drain at a time; a call made during one runs another after it, so it sees every record
  // written before the call.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    drain() {
      const run = queue.then(drainOnce, drainOnce);
      queue = run.catch(() => undefined);
      return run;
    },
  };
};

/**
 * The customer summaries and the daily statistics fed from the table's stream in this process
 * (what the `customer-summaries` function does in AWS), registered as the nightly run's and the
 * statistics routes' catch-up.
 * Returns the poller and a function that unregisters it.
 */
export const pollSummaryStream = (
  tableName: string,
  options: { dailyStats: boolean } = { dailyStats: true },
): { poller: StreamPoller; stop: () => void } => {
  const poller = streamPoller({
    tableName,
    onRecords: async (records) => {
      const rt = runtime();
      await applySummaryRecords(summaryDeps(rt), summaryRecords(records));
      if (options.dailyStats) await applyDailyStatsRecords(statsDeps(rt), statsRecords(records));
    },
  });
  const catchUp = async () => {
    await poller.drain();
  };
  setSummaryCatchUp(catchUp);
  return { poller, stop: () => setSummaryCatchUp(undefined) };
};
