/**
 * A small TTL cache of promises: concurrent misses for one key share one load, and a failed
 * load is forgotten. Bounded: past `max` entries the oldest are dropped (Map keeps insertion
 * order), so random codes cannot grow a container's memory without limit.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.entries.size;
  }

  load(key: string, nowMs: number, ttl: (value: V) => number, loader: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > nowMs) return hit.value;
    if (hit) this.entries.delete(key);
    const value = loader();
    const entry = { value, until: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    value.then(
      (v) => {
        entry.until = nowMs + ttl(v);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** Drops the key, so the next load reads afresh. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
