import { createHash, randomBytes } from 'node:crypto';
import type { ClickCount, ClickRateLimit, ClickStore, ClickToRecord, CodeTarget } from './ports/clicks';
import { TokenBuckets } from './rate-limit';
import type { Clock } from './ports/clock';
import type { Logger } from './ports/logger';
import { normalizeIp } from '../domain/referrals/normalize';
import {
  cookieValue,
  isValidVisitorId,
  normalizePathCode,
  pageLanguage,
  redirectLocation,
  referralCookie,
  utcDay,
  visitorCookie,
  visitorCookieName,
  type PageLanguage,
} from '../domain/referrals/redirect';
import type { Shop } from '../domain/shop';
import { shopCache } from './shop-cache';
import { TtlCache } from './ttl-cache';

/**
 * The public referral link, `GET /r/{code}`: rate limit, resolve the code (global code index →
 * shop), count the click once per visitor per code per 24 h, and answer with the storefront
 * redirect. Everything that may be cached is cached per container, so the hot path is:
 *
 * - warm (code and shop cached): no read; a new visitor costs one conditional put and then two
 *   counter updates in parallel, a repeat visitor one conditional put (refused) and one update,
 *   or just the update when this container counted or saw them within the window (OpenWindows);
 * - code not cached: + one eventually consistent read of the global code item;
 * - shop not cached (once a minute per shop and container): + one read of the shop item.
 *
 * Counting never fails the redirect: a write error is logged and the visitor still gets sent on.
 */

export interface ClicksDeps {
  store: ClickStore;
  /** The shop as stored (uncached); the service caches it. */
  loadShop(shopId: string): Promise<Shop | undefined>;
  clock: Clock;
  newId(): string;
  isBot(userAgent: string | undefined): boolean;
  logger: Pick<Logger, 'warn'>;
  rateLimit: ClickRateLimit;
  /** Monotonic milliseconds for caches and buckets (default performance.now). */
  nowMs?(): number;
  /** A fresh visitor id (default 16 random bytes, base64url). */
  newVisitorId?(): string;
}

export interface ClickRequest {
  /** The `{code}` path segment as received (still percent-encoded). */
  rawCode: string | undefined;
  cookies: readonly string[] | undefined;
  userAgent: string | undefined;
  sourceIp: string | undefined;
  acceptLanguage: string | undefined;
}

export type ClickOutcome =
  | { kind: 'redirect'; location: string; cookies: string[]; clickId?: string; count: ClickCount | 'bot' | 'failed' }
  | { kind: 'inactive'; lang: PageLanguage; reason: 'malformed' | 'unknown' | 'disabled' | 'shop_inactive' }
  | { kind: 'rate_limited'; lang: PageLanguage; retryAfterSeconds: number };

/** Found codes are reused for a minute per container; a disabled code takes up to that long. */
export const codeHitTtlMs = 60_000;
/** Unknown codes are remembered briefly, so a burst of typos or probes costs one read each. */
export const codeMissTtlMs = 10_000;
export const shopTtlMs = 60_000;
export const dedupeSeconds = 24 * 60 * 60;

/**
 * Visitors whose de-dupe window this container knows to be open, with when it ends: a repeat
 * click from them skips the conditional put and costs one counter update. Only ever a positive
 * ("already counted until T"), which stays true until T whatever other containers do, so it
 * cannot lose a count. Bounded; the oldest entries go first.
 */
export class OpenWindows {
  private readonly until = new Map<string, number>();

  constructor(private readonly max: number) {}

  isOpen(key: string, nowSeconds: number): boolean {
    const end = this.until.get(key);
    if (end === undefined) return false;
    if (nowSeconds < end) return true;
    this.until.delete(key);
    return false;
  }

  remember(key: string, endsAt: number): void {
    this.until.delete(key);
    this.until.set(key, endsAt);
    while (this.until.size > this.max) this.until.delete(this.until.keys().next().value!);
  }
}

/** The de-duplication key: the visitor id is never stored, only this hash of it. */
export const visitorHash = (visitorId: string): string =>
  createHash('sha256').update(`bmr_vid:${visitorId}`, 'utf8').digest('base64url').slice(0, 22);

const randomVisitorId = (): string => randomBytes(16).toString('base64url');

export interface ClicksService {
  click(request: ClickRequest): Promise<ClickOutcome>;
}

export const createClicksService = (deps: ClicksDeps): ClicksService => {
  const nowMs = deps.nowMs ?? (() => performance.now());
  const newVisitorId = deps.newVisitorId ?? randomVisitorId;
  const codes = new TtlCache<CodeTarget | undefined>(20_000);
  const shops = shopCache({ ttlMs: shopTtlMs, missTtlMs: codeMissTtlMs, max: 5_000, nowMs }).loader((id) =>
    deps.loadShop(id),
  );
  const buckets = new TokenBuckets(deps.rateLimit);
  const open = new OpenWindows(50_000);

  const count = async (click: ClickToRecord): Promise<ClickCount | 'failed'> => {
    const key = `${click.shopId}\n${click.code}\n${click.visitorHash}`;
    try {
      if (open.isOpen(key, click.now)) {
        await deps.store.recordRepeat(click.shopId, click.day);
        return 'repeat';
      }
      const recorded = await deps.store.recordClick(click);
      if (recorded.windowEndsAt !== undefined) open.remember(key, recorded.windowEndsAt);
      return recorded.count;
    } catch (error) {
      deps.logger.warn('click not counted', { shopId: click.shopId, code: click.code, error });
      return 'failed';
    }
  };

  return {
    async click(req) {
      const ipKey = normalizeIp(req.sourceIp) ?? req.sourceIp ?? 'unknown';
      const allowed = buckets.take(ipKey, nowMs());
      if (!allowed.ok)
        return {
          kind: 'rate_limited',
          lang: pageLanguage(req.acceptLanguage),
          retryAfterSeconds: allowed.retryAfterSeconds,
        };

      const inactive = (reason: Extract<ClickOutcome, { kind: 'inactive' }>['reason']): ClickOutcome => ({
        kind: 'inactive',
        lang: pageLanguage(req.acceptLanguage),
        reason,
      });
      const code = normalizePathCode(req.rawCode);
      if (!code) return inactive('malformed');
      const target = await codes.load(
        code,
        nowMs(),
        (t) => (t ? codeHitTtlMs : codeMissTtlMs),
        () => deps.store.findCode(code),
      );
      if (!target) return inactive('unknown');
      if (target.disabled) return inactive('disabled');
      const shop = await shops.get(target.shopId);
      if (!shop || shop.status !== 'active' || !shop.program.referrals.enabled) return inactive('shop_inactive');

      const referrals = shop.program.referrals;
      const storefront = { storefrontUrl: shop.storefrontUrl, code, utm: referrals.utm };
      // Bots (crawlers, link previews) still get where they asked to go, but leave no trace:
      // no click id, no cookie, no write.
      if (deps.isBot(req.userAgent))
        return { kind: 'redirect', location: redirectLocation(storefront), cookies: [], count: 'bot' };

      const clickId = deps.newId();
      const location = redirectLocation({ ...storefront, clickId });
      const known = cookieValue(req.cookies, visitorCookieName);
      const visitorId = isValidVisitorId(known) ? known : newVisitorId();
      const now = deps.clock.now();
      const counted = await count({
        shopId: shop.id,
        code,
        visitorHash: visitorHash(visitorId),
        day: utcDay(now),
        now: Math.floor(now.getTime() / 1000),
        dedupeSeconds,
      });
      return {
        kind: 'redirect',
        location,
        cookies: [referralCookie(code, referrals.attributionWindowDays), visitorCookie(visitorId)],
        clickId,
        count: counted,
      };
    },
  };
};
