import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ImportStore } from '../app/ports/imports';
import type { CustomerRecord } from '../domain/ledger/customer';
import type { ImportJob } from '../domain/imports/job';
import { batchGetAll, strip, versionGuard, written } from './items';
import { keys } from './keys';
import { customerItem, fromOrderItem, orderItem } from './ledger-store';
import { newId } from './ids';
import type { Table } from './table';

/** Import jobs (`SHOP#<shop>#IMPORTS` / `IMPORT#<ulid>`) and the history import's bulk writes. */
export const dynamoImportStore = (table: Table, tableName: string): ImportStore => ({
  create: (job) =>
    written(
      table.put({
        TableName: tableName,
        Item: { ...keys.importJob(job.shopId, job.importId), itemType: 'import', ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    ),
  async get(shopId, importId) {
    const out = await table.get({ TableName: tableName, Key: keys.importJob(shopId, importId), ConsistentRead: true });
    return out.Item ? ({ ...strip<ImportJob>(out.Item)!, shopId } as ImportJob) : undefined;
  },
  async list(shopId, limit) {
    const out = await table.query({
      TableName: tableName,
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
      ExpressionAttributeValues: { ':p': keys.importPartition(shopId), ':s': keys.importPrefix },
      ScanIndexForward: false,
      Limit: limit,
    });
    return (out.Items ?? []).map((i) => ({ ...strip<ImportJob>(i)!, shopId }));
  },
  save: (shopId, write) =>
    written(
      table.put({
        TableName: tableName,
        Item: { ...keys.importJob(shopId, write.next.importId), itemType: 'import', ...write.next },
        ...versionGuard(write.expectedVersion),
      }),
    ),
  async getOrders(shopId, orderIds) {
    const items = await batchGetAll(
      table,
      tableName,
      orderIds.map((id) => keys.order(shopId, id)),
      { consistent: true },
    );
    return new Map(items.map((i) => fromOrderItem(i)!).map((o) => [o.orderId, o]));
  },
  async getCustomers(shopId, cids) {
    const items = await batchGetAll(
      table,
      tableName,
      cids.map((cid) => keys.customer(shopId, cid)),
      { consistent: true },
    );
    return new Map(items.map((i) => strip<CustomerRecord>(i)!).map((c) => [c.cid, c]));
  },
  async commitHistory(shopId, batches, program) {
    const put = (Item: Record<string, unknown>, guard: object) => ({ Put: { TableName: tableName, Item, ...guard } });
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = batches.flatMap(({ cid, batch }) => [
      put(customerItem(shopId, batch.customer, program), versionGuard(batch.expectedVersion)),
      ...batch.orders.map((o) => put(orderItem(shopId, o.next), versionGuard(o.expectedVersion))),
      ...batch.entries.map((e) =>
        put(
          { ...keys.ledgerEntry(shopId, cid, e.entryId), itemType: 'entry', shopId, ...e },
          { ConditionExpression: 'attribute_not_exists(pk)' },
        ),
      ),
      ...batch.tierChanges.map((t) =>
        put({ ...keys.tierChange(shopId, cid, newId()), itemType: 'tier_change', shopId, cid, ...t }, {}),
      ),
    ]);
    try {
      // The token makes a retried request (an attempt that timed out after committing) succeed
      // instead of failing on its own writes.
      await table.transactWrite({ TransactItems: items, ClientRequestToken: newId() });
      return 'committed';
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'TransactionCanceledException' || name === 'TransactionConflictException') return 'conflict';
      throw e;
    }
  },
});
