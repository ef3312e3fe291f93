/** Sustained requests per minute per key, and how many may come at once before that applies. */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

/**
 * Token buckets per key (a client IP, a customer): `burst` tokens, refilled at `perMinute`. In memory, so
 * per container: it stops one client hammering a warm container (and DynamoDB through it);
 * the account-wide guard is API Gateway's own throttling. Bounded like TtlCache: full buckets
 * are forgotten first (a full bucket is the same as none), then the oldest.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token; when none is left, how many whole seconds until there is one. */
  take(key: string, nowMs: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const b = this.buckets.get(key) ?? { tokens: this.limit.burst, at: nowMs };
    const tokens = Math.min(this.limit.burst, b.tokens + Math.max(0, nowMs - b.at) * this.perMs);
    if (!this.buckets.has(key)) {
      this.buckets.set(key, b);
      if (this.buckets.size > this.maxKeys) this.prune(nowMs);
    }
    b.at = nowMs;
    if (tokens >= 1) {
      b.tokens = tokens - 1;
      return { ok: true };
    }
    b.tokens = tokens;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  private prune(nowMs: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (nowMs - b.at) * this.perMs >= this.limit.burst) this.buckets.delete(k);
    }
    const target = Math.floor(this.maxKeys * 0.9);
    for (const k of this.buckets.keys()) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(k);
    }
  }
}
