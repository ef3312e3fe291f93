/** The referral link's clicks (DynamoDB: shared/adapters/click-store.ts; click-service.ts uses it). */
export interface CodeTarget {
  shopId: string;
  /** A disabled code answers the inactive-link page. */
  disabled: boolean;
}

export interface ClickToRecord {
  shopId: string;
  code: string;
  /** Hash of the visitor id: what the de-duplication item is keyed by. */
  visitorHash: string;
  /** `yyyy-mm-dd` UTC: the stats item the click is counted on. */
  day: string;
  /** Epoch seconds. */
  now: number;
  /** The de-duplication item expires (TTL) this many seconds after `now`. */
  dedupeSeconds: number;
}

/** `counted`: first click of this visitor on this code in 24 h; `repeat`: within the 24 h. */
export type ClickCount = 'counted' | 'repeat';

export interface RecordedClick {
  count: ClickCount;
  /** When the visitor's de-dupe window ends (epoch seconds), when the store knows it. */
  windowEndsAt?: number;
}

export interface ClickStore {
  findCode(code: string): Promise<CodeTarget | undefined>;
  /** Opens the visitor's 24 h window and counts the click, or counts a repeat if it is open. */
  recordClick(click: ClickToRecord): Promise<RecordedClick>;
  /** Counts a repeat click of a visitor whose window is known to be open. */
  recordRepeat(shopId: string, day: string): Promise<void>;
}

export interface ClickRateLimit {
  /** Sustained requests per minute per client IP. */
  perMinute: number;
  /** Requests a client may make at once before the sustained rate applies. */
  burst: number;
}
