import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  partKey,
  summaryNpsOf,
  summaryShardOf,
  type CustomerSummary,
  type LoyaltyIntent,
  type SummaryChange,
  type SummaryNps,
  type SummaryOrder,
  type SummaryProfile,
  type SummarySource,
} from '../domain/churn/customer-summary';
import type { CustomerRecord } from '../domain/ledger/customer';
import type { CustomerSummaryStore, SummaryStreamRecord } from '../app/ports/customer-summary';
import { isConditionFailure, strip } from './items';
import { keys } from './keys';
import { fromOrderItem } from './ledger-store';
import { scanShopItems, summarySourceTypes } from './shop-scan';
import { queryPages, type Table } from './table';

type Item = Record<string, unknown>;

/** `itemType` of a summary item, and the item types summaries are built from (the stream filter's too). */
export const summaryItemType = 'summary';

const summaryMarkerType = 'summary-marker';

/** The marker of a shop whose summaries are complete (a new shop's, written with the shop). */
export const customerSummaryMarkerItem = (shopId: string, builtAt: string) => ({
  ...keys.customerSummaryMarker(shopId),
  itemType: summaryMarkerType,
  shopId,
  builtAt,
});

/** A stored customer, order or NPS item as a summary source; anything else undefined. */
export const summarySourceOf = (item: Item | undefined): SummarySource | undefined => {
  switch (item?.itemType) {
    case 'customer':
      return { kind: 'customer', customer: strip<CustomerRecord>(item)! };
    case 'order': {
      const order = fromOrderItem(item);
      return order ? { kind: 'order', order } : undefined;
    }
    case 'nps': {
      const a = strip<{ cid: string; answerId: string; score: number; at: string } & LoyaltyIntent>(item)!;
      return { kind: 'nps', answer: { cid: a.cid, answerId: a.answerId, ...summaryNpsOf(a) } };
    }
    default:
      return undefined;
  }
};

/** The shop of a customer's, order's or NPS answer's partition (`SHOP#<shop>#C#…` / `#O#…`). */
const shopOfPk = (pk: unknown): string | undefined =>
  typeof pk === 'string' ? /^SHOP#([^#]+)#(?:C|O)#/.exec(pk)?.[1] : undefined;

/**
 * A DynamoDB stream record (the Lambda event's or GetRecords', images as AttributeValues) as
 * the summaries see it; undefined for items they are not built from.
 */
export const summaryStreamRecordOf = (record: {
  dynamodb?: { Keys?: unknown; NewImage?: unknown; OldImage?: unknown };
}): SummaryStreamRecord | undefined => {
  const d = record.dynamodb;
  // Other items (a summary's own writes, locally, where no filter runs before us) are not unmarshalled.
  const typeOf = (v: unknown) => (v as { itemType?: { S?: string } } | undefined)?.itemType?.S;
  const sources: readonly (string | undefined)[] = summarySourceTypes;
  if (!sources.includes(typeOf(d?.NewImage)) && !sources.includes(typeOf(d?.OldImage))) return undefined;
  const image = (v: unknown): Item | undefined =>
    v && typeof v === 'object' && Object.keys(v).length ? (unmarshall(v as never) as Item) : undefined;
  const [oldItem, newItem] = [image(d?.OldImage), image(d?.NewImage)];
  const before = summarySourceOf(oldItem);
  const after = summarySourceOf(newItem);
  const shopId = shopOfPk((newItem ?? oldItem)?.pk);
  if ((!before && !after) || !shopId) return undefined;
  return { shopId, ...(before ? { before } : {}), ...(after ? { after } : {}) };
};

/**
 * Summary attributes are JSON text, orders and answers as tuples: a third of the size of the
 * same data as DynamoDB maps, and DynamoDB Local reads text far faster than nested maps (a night
 * reads every summary of the shop). `[at, revenueMinor, currency, referred 0|1, productIds]`,
 * `[score, at]` (`[score, at, buyAgain, tryOther]` for an answer with the loyalty-index questions),
 * the profile as an object.
 */
type OrderTuple = [string, number, string, 0 | 1, string[]];
type NpsTuple = [number, string] | [number, string, number, number];

const encoded = (c: SummaryChange): string | null => {
  if (c.value === null) return null;
  switch (c.part.kind) {
    case 'profile':
      return JSON.stringify(c.value);
    case 'order': {
      const o = c.value as SummaryOrder;
      return JSON.stringify([o.at, o.revenueMinor, o.currency, o.referred ? 1 : 0, o.productIds] satisfies OrderTuple);
    }
    case 'nps': {
      const a = c.value as SummaryNps;
      const tuple: NpsTuple =
        a.buyAgain !== undefined && a.tryOther !== undefined
          ? [a.score, a.at, a.buyAgain, a.tryOther]
          : [a.score, a.at];
      return JSON.stringify(tuple);
    }
  }
};

const summaryFrom = (item: Item): CustomerSummary => {
  const s: CustomerSummary = { cid: String(item.sk), orders: {}, nps: {} };
  for (const [name, value] of Object.entries(item)) {
    if (name === 'profile') s.profile = JSON.parse(value as string) as SummaryProfile;
    else if (name.startsWith('o#')) {
      const [at, revenueMinor, currency, referred, productIds] = JSON.parse(value as string) as OrderTuple;
      s.orders[name.slice(2)] = { at, revenueMinor, currency, productIds, referred: referred === 1 };
    } else if (name.startsWith('n#')) {
      const [score, at, buyAgain, tryOther] = JSON.parse(value as string) as NpsTuple;
      s.nps[name.slice(2)] = summaryNpsOf({ score, at, buyAgain, tryOther });
    }
  }
  return s;
};

/** One update expression for a customer's changes, the last change of an attribute winning. */
const updateOf = (changes: readonly SummaryChange[], fill: boolean) => {
  const last = new Map<string, SummaryChange>();
  for (const c of changes) last.set(partKey(c.part), c);
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const set: string[] = [];
  const remove: string[] = [];
  [...last.entries()].forEach(([attr, c], i) => {
    names[`#a${i}`] = attr;
    const value = encoded(c);
    if (value === null) remove.push(`#a${i}`);
    else {
      values[`:v${i}`] = value;
      set.push(fill ? `#a${i} = if_not_exists(#a${i}, :v${i})` : `#a${i} = :v${i}`);
    }
  });
  if (set.length) {
    set.push('itemType = :summary', 'shopId = :shop', 'cid = :cid');
    values[':summary'] = summaryItemType;
  }
  return { names, values, set, remove };
};

/** Customer summaries over the single table (keys in keys.ts). */
export const dynamoCustomerSummaryStore = (table: Table, tableName: string): CustomerSummaryStore => {
  const write = async (shopId: string, cid: string, changes: readonly SummaryChange[], fill: boolean) => {
    const { names, values, set, remove } = updateOf(changes, fill);
    if (!set.length && !remove.length) return;
    const removesOnly = !set.length;
    try {
      await table.update({
        TableName: tableName,
        Key: keys.customerSummary(shopId, summaryShardOf(cid), cid),
        UpdateExpression: [
          set.length ? `SET ${set.join(', ')}` : '',
          remove.length ? `REMOVE ${remove.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
        // Removing from a summary that is not there (a shop being deleted) must not create one.
        ...(removesOnly ? { ConditionExpression: 'attribute_exists(pk)' } : {}),
        ExpressionAttributeNames: names,
        ...(set.length ? { ExpressionAttributeValues: { ...values, ':shop': shopId, ':cid': cid } } : {}),
      });
    } catch (e) {
      if (!(removesOnly && isConditionFailure(e))) throw e;
    }
  };

  return {
    apply: (shopId, cid, changes) => write(shopId, cid, changes, false),
    fill: (shopId, cid, changes) => write(shopId, cid, changes, true),

    async get(shopId, cid) {
      const out = await table.get({
        TableName: tableName,
        Key: keys.customerSummary(shopId, summaryShardOf(cid), cid),
      });
      return out.Item ? summaryFrom(out.Item) : undefined;
    },

    async *readShard(shopId, shard) {
      const pages = queryPages(table, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': keys.customerSummaryPartition(shopId, shard) },
      });
      for await (const page of pages) {
        yield { items: (page.Items ?? []).map(summaryFrom), examined: page.ScannedCount ?? page.Items?.length ?? 0 };
      }
    },

    async builtAt(shopId) {
      const out = await table.get({ TableName: tableName, Key: keys.customerSummaryMarker(shopId) });
      const at = out.Item?.builtAt;
      return typeof at === 'string' ? at : undefined;
    },

    async *scanShop(shopId, segment, totalSegments) {
      // The whole table, filtered to the shop: what every night cost before the summaries.
      for await (const page of scanShopItems(table, tableName, shopId, segment, totalSegments)) {
        const items = page.items.map(summarySourceOf).filter((i): i is SummarySource => i !== undefined);
        yield { items, examined: page.examined };
      }
    },

    async backfillSegmentDone(shopId, o) {
      const prefix = `${o.runId}/${o.totalSegments}/`;
      const out = await table.update({
        TableName: tableName,
        Key: keys.customerSummaryMarker(shopId),
        UpdateExpression: 'ADD #b :seg SET itemType = :t, shopId = :shop',
        ExpressionAttributeNames: { '#b': 'backfilled' },
        ExpressionAttributeValues: {
          ':seg': new Set([`${prefix}${o.segment}`]),
          ':t': summaryMarkerType,
          ':shop': shopId,
        },
        ReturnValues: 'ALL_NEW',
      });
      const done = out.Attributes?.backfilled as Set<string> | undefined;
      const mine = [...(done ?? [])].filter((s) => s.startsWith(prefix)).length;
      if (mine < o.totalSegments || typeof out.Attributes?.builtAt === 'string') return false;
      try {
        await table.update({
          TableName: tableName,
          Key: keys.customerSummaryMarker(shopId),
          UpdateExpression: 'SET builtAt = :at REMOVE #b',
          ConditionExpression: 'attribute_not_exists(builtAt)',
          ExpressionAttributeNames: { '#b': 'backfilled' },
          ExpressionAttributeValues: { ':at': o.at },
        });
        return true;
      } catch (e) {
        if (isConditionFailure(e)) return false;
        throw e;
      }
    },
  };
};
