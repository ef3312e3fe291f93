import { keys } from './keys';
import { scanPages, type Table } from './table';

/** The item types a shop's summaries are built from: what the scan keeps, and the stream function's filter. */
export const summarySourceTypes = ['customer', 'order', 'nps'] as const;

/**
 * One segment of a parallel Scan of the whole table, filtered to a shop's customer, order and NPS
 * items: what every nightly run read before the customer summaries, and what builds a shop's
 * summaries once (backfill). Reads the table's size, not the shop's: never on a nightly path
 * that has summaries.
 */
export async function* scanShopItems(
  table: Table,
  tableName: string,
  shopId: string,
  segment: number,
  totalSegments: number,
): AsyncGenerator<{ items: Record<string, unknown>[]; examined: number }> {
  const pages = scanPages(table, {
    TableName: tableName,
    Segment: segment,
    TotalSegments: totalSegments,
    FilterExpression: `begins_with(pk, :p) AND #t IN (${summarySourceTypes.map((t) => `:${t}`).join(', ')})`,
    ExpressionAttributeNames: { '#t': 'itemType' },
    ExpressionAttributeValues: {
      ':p': keys.shopPartitionPrefix(shopId),
      ...Object.fromEntries(summarySourceTypes.map((t) => [`:${t}`, t])),
    },
  });
  for await (const page of pages) yield { items: page.Items ?? [], examined: page.ScannedCount ?? 0 };
}
