import type { OutboxStore } from '../app/ports/outbox';
import { keys } from './keys';
import type { Table } from './table';

/**
 * E-mail counters per shop and UTC day (`<type>:<event>`, `unsubscribe:<scope>`): the outbox port's `count`
 * and `dayCounts`.
 */
export const dynamoEmailStats = (table: Table, tableName: string): Pick<OutboxStore, 'count' | 'dayCounts'> => ({
  async count(shopId, at, counter) {
    const counters = Object.entries(typeof counter === 'string' ? { [counter]: 1 } : counter).filter(
      ([, n]) => n !== 0,
    );
    if (!counters.length) return;
    await table.update({
      TableName: tableName,
      Key: keys.emailStatsDay(shopId, at.slice(0, 10)),
      UpdateExpression: `SET itemType = :t, shopId = :s ADD ${counters.map((_, i) => `#c${i} :n${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(counters.map(([name], i) => [`#c${i}`, name])),
      ExpressionAttributeValues: {
        ':t': 'email_stats_day',
        ':s': shopId,
        ...Object.fromEntries(counters.map(([, n], i) => [`:n${i}`, n])),
      },
    });
  },

  async dayCounts(shopId, from, to) {
    const out: Record<string, number>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await table.query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':p': keys.emailStatsPartition(shopId), ':from': from, ':to': to },
        ExclusiveStartKey: start,
      });
      for (const item of page.Items ?? []) {
        out.push(
          Object.fromEntries(
            Object.entries(item).filter(([k, v]) => k.includes(':') && typeof v === 'number'),
          ) as Record<string, number>,
        );
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  },
});
