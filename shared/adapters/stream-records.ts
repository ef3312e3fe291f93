import { outgoingEventItemType } from './outgoing-items';

/** What a stream sender needs of one record: its sequence number and the new item's ids. */
export type SenderStreamRef =
  | { kind: 'outbox'; shopId: string; outboxId: string; sequence?: string }
  | { kind: 'webhook'; shopId: string; eventId: string; sequence?: string };

type Image = Record<string, { S?: unknown } | undefined>;

const text = (image: Image | undefined, name: string): string | undefined => {
  const v = image?.[name]?.S;
  return typeof v === 'string' ? v : undefined;
};

/**
 * The outbox items and outgoing webhook events among DynamoDB stream records (Lambda's event
 * records), by item type; anything else, or a record without the ids, is dropped. `sequence` is
 * what a partial batch failure names (Lambda's `itemIdentifier` for DynamoDB streams).
 */
export const senderStreamRefs = (records: readonly unknown[]): SenderStreamRef[] =>
  records.flatMap((r): SenderStreamRef[] => {
    const db = (r as { dynamodb?: { SequenceNumber?: unknown; NewImage?: Image } } | undefined)?.dynamodb;
    const image = db?.NewImage;
    const shopId = text(image, 'shopId');
    if (!shopId) return [];
    const sequence = typeof db?.SequenceNumber === 'string' ? { sequence: db.SequenceNumber } : {};
    const eventId = text(image, 'eventId');
    if (text(image, 'itemType') === outgoingEventItemType && eventId)
      return [{ kind: 'webhook', shopId, eventId, ...sequence }];
    const outboxId = text(image, 'outboxId');
    return outboxId ? [{ kind: 'outbox', shopId, outboxId, ...sequence }] : [];
  });
