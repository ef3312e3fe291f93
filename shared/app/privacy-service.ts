import type { CustomerRecord } from '../domain/ledger/customer';
import type { Shop } from '../domain/shop';
import { replacing } from '../domain/versioned';
import { customerExport, resolveCids } from './customer-service';
import { commitWithRetry, type LedgerDeps } from './ledger-service';

/** What a redacted customer keeps: ids, balances and counts, no personal data. */
const withoutPii = (c: CustomerRecord, at: string): CustomerRecord => {
  const {
    email: _e,
    emailHash: _h,
    firstName: _f,
    lastName: _l,
    phone: _p,
    locale: _lo,
    acceptsMarketing: _a,
    fraudSignals: _s,
    ...rest
  } = c;
  return { ...rest, redactedAt: c.redactedAt ?? at };
};

/**
 * `customers/redact`: erases e-mail, names, phone and the e-mail lookup; ledger entries and
 * orders hold no personal data, so balances and totals stay as anonymous history.
 */
export const redactCustomer = async (
  deps: LedgerDeps,
  shop: Shop,
  who: { platformCustomerId?: string; email?: string },
): Promise<number> => {
  const cids = await resolveCids(deps.store, shop.id, { id: who.platformCustomerId, email: who.email });
  let redacted = 0;
  for (const cid of cids) {
    let code: string | undefined;
    const r = await commitWithRetry(deps, shop, async () => {
      const c = await deps.store.getCustomer(shop.id, cid);
      code = c?.referralCode;
      if (!c || (c.redactedAt && !c.email && !c.firstName && !c.lastName && !c.phone)) return undefined;
      const now = deps.clock.now().toISOString();
      return { customer: replacing(c, { ...withoutPii(c, now), updatedAt: now }) };
    });
    if (r === 'applied') redacted++;
    await deps.store.erasePersonalItems(shop.id, cid);
    // Their referral link stops working: it names them, and no one should earn through it.
    if (code && deps.referrals) await deps.referrals.disableCode(shop.id, code);
  }
  return redacted;
};

const maxStoredExportBytes = 300_000;

/** `customers/data_request`: stores a JSON export of everything held, for the shop to hand over. */
export const recordDataRequest = async (
  deps: LedgerDeps,
  shop: Shop,
  req: { requestId: string; platformCustomerId?: string; email?: string },
): Promise<number> => {
  const cids = await resolveCids(deps.store, shop.id, { id: req.platformCustomerId, email: req.email });
  const at = deps.clock.now().toISOString();
  let stored = 0;
  for (const cid of cids) {
    const c = await deps.store.getCustomer(shop.id, cid);
    if (!c) continue;
    const doc = await customerExport(deps.store, shop, c, at);
    // One DynamoDB item holds at most 400 KB; a longer history is summarised here and served
    // whole by GET …/customers/{customerRef}/export.
    const kept =
      JSON.stringify(doc).length <= maxStoredExportBytes
        ? doc
        : {
            generatedAt: at,
            shopId: shop.id,
            truncated: true,
            profile: c,
            ledgerEntries: doc.ledger.length,
            orders: doc.orders.length,
          };
    await deps.store.putDataRequest(shop.id, cid, req.requestId, kept, at);
    stored++;
  }
  return stored;
};
