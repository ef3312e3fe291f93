import { GetItemCommand, type ConsumedCapacity, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShopStore } from '../../shared/app/ports/shops';
import {
  attributeSizes,
  consistentReadUnits,
  indexWrites,
  itemSize,
  writeUnits,
  type AttributeSize,
  type IndexWrite,
  type Item,
} from './item-size';

/**
 * Watches the DynamoDB calls made while one webhook is handled, and records two views of
 * their cost:
 * - reported: what DynamoDB (Local) returned as ConsumedCapacity;
 * - modelled: what AWS would charge, from the stored items' sizes (see item-size.ts).
 * The benchmark sends one request at a time while measuring, so everything observed between
 * `begin()` and the response belongs to that request.
 */

export type ItemKind =
  | 'shop'
  | 'customer'
  | 'order'
  | 'ledger entry'
  | 'idempotency'
  | 'event'
  | 'data request'
  | 'webhook body'
  | 'outgoing webhook event'
  | 'other';

/** The item kinds of shared/adapters/keys.ts, told apart by their sort key. */
export const kindOf = (sk: unknown): ItemKind => {
  const s = String(sk);
  if (s === 'SHOP') return 'shop';
  if (s === 'PROFILE') return 'customer';
  if (s === 'ORDER') return 'order';
  if (s.startsWith('L#')) return 'ledger entry';
  if (s.startsWith('IDEM#')) return 'idempotency';
  if (s.startsWith('EVT#')) return 'event';
  if (s.startsWith('DATAREQ#')) return 'data request';
  if (s === 'WHBODY') return 'webhook body';
  if (s === 'WHEVT') return 'outgoing webhook event';
  return 'other';
};

export interface ReportedCall {
  op: string;
  /** Shop reads are kept apart: the webhook handler caches the shop, so they come and go. */
  kind: 'read' | 'write' | 'shop read';
  units: number;
  indexUnits: Record<string, number>;
}

export interface ModelledRead {
  kind: ItemKind;
  bytes: number;
  found: boolean;
  units: number;
}

export interface ModelledItemWrite {
  kind: ItemKind;
  action: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  /** The larger of the item before and after: what DynamoDB bills a Put/Update by. */
  bytes: number;
  /** Transactional rate: 2 per started KB. */
  tableUnits: number;
  indexes: IndexWrite[];
  /** Where the bytes go (the larger image), to explain items over 1 KB. */
  attributes: AttributeSize[];
}

export interface ModelledTransaction {
  /** A single PutItem (1 WCU per started KB, charged even when its condition fails), not a transaction. */
  single?: boolean;
  committed: boolean;
  items: ModelledItemWrite[];
  units: number;
}

export interface RequestCost {
  shopReads: number;
  reported: ReportedCall[];
  reads: ModelledRead[];
  transactions: ModelledTransaction[];
}

const emptyCost = (): RequestCost => ({ shopReads: 0, reported: [], reads: [], transactions: [] });

const sumUnits = (
  c: ConsumedCapacity[] | ConsumedCapacity | undefined,
): { units: number; indexUnits: Record<string, number> } => {
  const list = c === undefined ? [] : Array.isArray(c) ? c : [c];
  const indexUnits: Record<string, number> = {};
  let units = 0;
  for (const entry of list) {
    units += entry.CapacityUnits ?? 0;
    for (const [name, idx] of Object.entries(entry.GlobalSecondaryIndexes ?? {}))
      indexUnits[name] = (indexUnits[name] ?? 0) + (idx.CapacityUnits ?? 0);
  }
  return { units, indexUnits };
};

export interface Meter {
  /** Starts recording a new request and returns its (live) cost record. */
  begin(): RequestCost;
  /** For dynamoLedgerStore's `onCapacity` option. */
  onCapacity(op: string, consumed: ConsumedCapacity[] | ConsumedCapacity | undefined): void;
  /** Wraps the document client the ledger store and shop repository use. */
  observe(db: DynamoDBDocumentClient): DynamoDBDocumentClient;
  /** Counts shop reads (the handler's 5 s shop cache decides when they happen). */
  countShopReads(shops: ShopStore): ShopStore;
}

type Key = { pk: string; sk: string };

/**
 * `probe` is a separate, unobserved low-level client: it reads the before and after images
 * of every item a call touches (in AttributeValue form, for exact sizes) without those reads
 * counting against the request.
 */
export const createMeter = (probe: DynamoDBClient, tableName: string): Meter => {
  let current = emptyCost();

  const image = async (key: Key): Promise<Item | undefined> => {
    const out = await probe.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }),
    );
    return out.Item;
  };

  const observedGet = async (db: DynamoDBDocumentClient, command: GetCommand) => {
    const key = command.input.Key as Key;
    const kind = kindOf(key.sk);
    // The shop repository has no capacity hook: ask DynamoDB to report its reads as well.
    const injected = command.input.ReturnConsumedCapacity === undefined;
    if (injected) command.input.ReturnConsumedCapacity = 'INDEXES';
    const stored = await image(key);
    const out = await db.send(command);
    const bytes = itemSize(stored);
    const strong = command.input.ConsistentRead === true;
    const units = strong ? consistentReadUnits(bytes) : consistentReadUnits(bytes) / 2;
    current.reads.push({ kind, bytes, found: stored !== undefined, units });
    if (injected)
      current.reported.push({
        op: `get ${kind}`,
        kind: kind === 'shop' ? 'shop read' : 'read',
        ...sumUnits(out.ConsumedCapacity),
      });
    return out;
  };

  const observedTransaction = async (db: DynamoDBDocumentClient, command: TransactWriteCommand) => {
    const targets = (command.input.TransactItems ?? []).map((t) => {
      if (t.Put) return { action: 'Put' as const, key: { pk: t.Put.Item?.pk, sk: t.Put.Item?.sk } as Key };
      if (t.Update) return { action: 'Update' as const, key: t.Update.Key as Key };
      if (t.Delete) return { action: 'Delete' as const, key: t.Delete.Key as Key };
      return { action: 'ConditionCheck' as const, key: t.ConditionCheck!.Key as Key };
    });
    const before = await Promise.all(targets.map((t) => image(t.key)));
    let out;
    try {
      out = await db.send(command);
    } catch (e) {
      current.transactions.push({ committed: false, items: [], units: 0 });
      throw e;
    }
    const after = await Promise.all(targets.map((t) => image(t.key)));
    const items = targets.map((t, i): ModelledItemWrite => {
      const larger = itemSize(before[i]) > itemSize(after[i]) ? before[i] : after[i];
      const bytes = itemSize(larger);
      return {
        kind: kindOf(t.key.sk),
        action: t.action,
        bytes,
        tableUnits: 2 * writeUnits(bytes),
        indexes: t.action === 'ConditionCheck' ? [] : indexWrites(before[i], after[i]),
        attributes: larger ? attributeSizes(larger) : [],
      };
    });
    const units = items.reduce((s, it) => s + it.tableUnits + it.indexes.reduce((x, w) => x + w.units, 0), 0);
    current.transactions.push({ committed: true, items, units });
    return out;
  };

  /** A conditional PutItem (the webhook body binding): AWS charges it whether or not it succeeds. */
  const observedPut = async (db: DynamoDBDocumentClient, command: PutCommand) => {
    const key = { pk: command.input.Item?.pk, sk: command.input.Item?.sk } as Key;
    const before = await image(key);
    let committed = true;
    try {
      return await db.send(command);
    } catch (e) {
      committed = false;
      throw e;
    } finally {
      const after = await image(key);
      const larger = itemSize(before) > itemSize(after) ? before : after;
      const bytes = itemSize(larger);
      const item: ModelledItemWrite = {
        kind: kindOf(key.sk),
        action: 'Put',
        bytes,
        tableUnits: writeUnits(bytes),
        indexes: committed ? indexWrites(before, after) : [],
        attributes: larger ? attributeSizes(larger) : [],
      };
      current.transactions.push({
        single: true,
        committed,
        items: [item],
        units: item.tableUnits + item.indexes.reduce((x, w) => x + w.units, 0),
      });
    }
  };

  return {
    begin: () => (current = emptyCost()),
    onCapacity: (op, consumed) => {
      current.reported.push({ op, kind: op.startsWith('commit') ? 'write' : 'read', ...sumUnits(consumed) });
    },
    observe: (db) =>
      new Proxy(db, {
        get(target, prop) {
          if (prop === 'send') {
            return (command: unknown, ...rest: unknown[]) => {
              if (command instanceof GetCommand) return observedGet(target, command);
              if (command instanceof TransactWriteCommand) return observedTransaction(target, command);
              if (command instanceof PutCommand) return observedPut(target, command);
              return (target.send as (...a: unknown[]) => unknown)(command, ...rest);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      }),
    countShopReads: (shops) => ({
      ...shops,
      get: (shopId) => {
        current.shopReads += 1;
        return shops.get(shopId);
      },
    }),
  };
};
