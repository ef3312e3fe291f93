import type { DayMetrics } from '../domain/metrics/day-metrics';
import type { MetricsStore } from '../app/ports/metrics';
import type { NpsAnswer } from '../app/ports/nightly';
import { batchGetAll, strip } from './items';
import { indexes, keys } from './keys';
import { queryPages, type Table } from './table';

type Item = Record<string, unknown>;

const dayFrom = (item: Item): DayMetrics => strip<DayMetrics>(item)!;

/** The metrics history in DynamoDB: `SHOP#<shop>#METRICS` / `<asOf>`, and the NPS answers' shop-wide listing. */
export const dynamoMetricsStore = (table: Table, tableName: string): MetricsStore => ({
  async putDay(shopId, day) {
    await table.put({
      TableName: tableName,
      Item: { ...keys.metricsDay(shopId, day.asOf), itemType: 'metrics', shopId, ...day },
    });
  },

  async listDays(shopId, from, to) {
    const out: DayMetrics[] = [];
    for await (const page of queryPages(table, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':p': keys.metricsPartition(shopId), ':from': from, ':to': to },
    }))
      for (const item of page.Items ?? []) out.push(dayFrom(item));
    return out;
  },

  async latestDay(shopId) {
    const page = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': keys.metricsPartition(shopId) },
      ScanIndexForward: false,
      Limit: 1,
    });
    const item = page.Items?.[0];
    return item ? dayFrom(item) : undefined;
  },

  async answersSince(shopId, at) {
    const found: { pk: unknown; sk: unknown }[] = [];
    const { name, pk, sk } = indexes.byTime;
    for await (const page of queryPages(table, {
      TableName: tableName,
      IndexName: name,
      KeyConditionExpression: '#pk = :p AND #sk >= :at',
      ExpressionAttributeNames: { '#pk': pk, '#sk': sk },
      ExpressionAttributeValues: { ':p': keys.npsListingPartition(shopId), ':at': at },
    }))
      for (const k of page.Items ?? []) found.push({ pk: k.pk, sk: k.sk });
    const items = await batchGetAll(table, tableName, found);
    return items.map((i) => strip<NpsAnswer>(i)!);
  },
});
