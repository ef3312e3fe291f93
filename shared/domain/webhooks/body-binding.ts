import type { Platform } from '../../schemas/shop';
import type { TopicMeaning } from './topics';

/**
 * A signed body as first accepted: by which shop, under which topic, meaning what. Any later
 * delivery of the same bytes must agree on shop and meaning, or it is refused.
 */
export interface BodyBinding {
  bodySha256: string;
  platform: Platform;
  shopId: string;
  topic: string;
  meaning: TopicMeaning;
  firstAt: string;
}

/** Longer than any platform retries a delivery (Shopify: 48 hours; WooCommerce: a few hours). */
export const bodyBindingTtlHours = 7 * 24;

export type BindingConflict =
  { kind: 'shop_mismatch'; first: BodyBinding } | { kind: 'topic_mismatch'; first: BodyBinding };

/**
 * Whether `next` may be processed given the `first` binding of the same bytes. Another topic of
 * the same meaning (orders/create and orders/paid may carry identical bytes) is the same request.
 */
export const checkBinding = (first: BodyBinding, next: BodyBinding): BindingConflict | undefined => {
  if (first.shopId !== next.shopId || first.platform !== next.platform) return { kind: 'shop_mismatch', first };
  if (first.meaning !== next.meaning) return { kind: 'topic_mismatch', first };
  return undefined;
};
