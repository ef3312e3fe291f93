/**
 * The DynamoDB key layout: every item's pk/sk and GSI keys, every key prefix a query or a cursor
 * check needs, and the GSI names (`indexes`, below) are declared here and only here; adapters
 * and infra/table.ts import them. Everything a shop owns sits under partitions starting
 * `SHOP#<shopId>#` (plus the shop item itself and its global code items, see below), which is
 * what `shop/redact` deletes.
 *
 * | item                | pk                          | sk                 | gsi1pk / gsi1sk                  | gsi2pk / gsi2sk               |
 * |---------------------|-----------------------------|--------------------|----------------------------------|-------------------------------|
 * | shop                | SHOP#<shop>                 | SHOP               | SHOPS / <shop>                   |                               |
 * | customer profile    | SHOP#<shop>#C#<cid>         | PROFILE            | SHOP#<shop>#WAKE / <wakeAt>#<cid> (while a wake time is set) | SHOP#<shop>#EMAIL#<e-mail hash> / <cid> (while it has an unerased e-mail) |
 * | ledger entry        | SHOP#<shop>#C#<cid>         | L#<ulid>           |                                  |                               |
 * | idempotency record  | SHOP#<shop>#IDEM#<key>      | IDEM               |                                  |                               |
 * | data-request export | SHOP#<shop>#C#<cid>         | DATAREQ#<id>       |                                  |                               |
 * | event (for emails)  | SHOP#<shop>#C#<cid>         | EVT#<ulid>         |                                  |                               |
 * | churn segment       | SHOP#<shop>#C#<cid>         | SEGMENT            |                                  |                               |
 * | NPS answer          | SHOP#<shop>#C#<cid>         | NPS#<ulid>, or NPS#<survey id> (a survey's, once) | SHOP#<shop>#NPS / <at>#<id> (written since issue 15) | SHOP#<shop>#FEEDBACK / <at>#<id> (while its feedback alert is pending) |
 * | activity            | SHOP#<shop>#C#<cid>         | ACT#<occurredAt>#<id> |                               |                               |
 * | reward redeemed count | SHOP#<shop>#REWARD#<rewardId> | STOCK          |                                  |                               |
 * | nightly job (TTL 90 d) | SHOP#<shop>#JOB#<jobId>  | JOB                | SHOP#<shop>#JOBS / <createdAt>#<jobId> (jobs created since the run history) | |
 * | import job          | SHOP#<shop>#IMPORTS         | IMPORT#<ulid>      |                                  |                               |
 * | balance import marker (idempotency record) | SHOP#<shop>#IDEM#import:<format>:<e-mail hash> | IDEM |           |                               |
 * | order               | SHOP#<shop>#O#<orderId>     | ORDER              |                                  |                               |
 * | customer summary (from the stream) | SHOP#<shop>#SUMMARY#<shard 0–15> | <cid> |                      |                               |
 * | summaries built (marker) | SHOP#<shop>#SUMMARY   | META               |                                  |                               |
 * | nightly model choice | SHOP#<shop>#NIGHTLY      | MODEL              |                                  |                               |
 * | loyalty metrics/day (nightly) | SHOP#<shop>#METRICS | <yyyy-mm-dd as-of> |                              |                               |
 * | referral code       | SHOP#<shop>#CODE#<CODE>     | CODE               |                                  |                               |
 * | global code index (holds shopId) | CODE#<CODE>    | CODE               |                                  |                               |
 * | click de-dupe (TTL 24 h) | SHOP#<shop>#CLICK#<CODE>#<visitor hash> | CLICK |                                  |                               |
 * | referral stats/day  | SHOP#<shop>#RSTATS          | <yyyy-mm-dd>       |                                  |                               |
 * | referral            | SHOP#<shop>#REFERRAL#<friend cid> | REFERRAL     | SHOP#<shop>#REFERRALS#<status> / <createdAt>#<cid> |        |
 * | referred friend     | SHOP#<shop>#REFERRED#<canonical e-mail hash> | REFERRED |                  |                               |
 * | velocity window (TTL: the program's window) | SHOP#<shop>#VEL#<ip|addr>#<hash> | VEL |                                  |                               |
 * | tier change         | SHOP#<shop>#C#<cid>         | TIER#<ulid>        |                                  |                               |
 * | outbox e-mail (TTL 90 d once settled) | SHOP#<shop>#OUTBOX#<id> | OUTBOX | SHOP#<shop>#OUTBOX / <dueAt>#<id> (while unsent); SHOP#<shop>#C#<cid>#EMAILS / <settledAt>#<id> (once settled) | SHOP#<shop>#OUTBOX#<status> / <settledAt>#<id> (once settled) |
 * | suppressed address  | SHOP#<shop>#SUPPRESS#<e-mail hash> | SUPPRESS    | SHOP#<shop>#SUPPRESSIONS / <at>#<hash> |                |
 * | e-mail stats/day    | SHOP#<shop>#ESTATS          | <yyyy-mm-dd>       |                                  |                               |
 * | daily stats (from the stream; shop's time zone) | SHOP#<shop>#DSTATS | <yyyy-mm-dd>, or `totals` (running totals) | |                   |
 * | daily stats applied (TTL 7 d) | SHOP#<shop>#DSTATS#APPLIED#<stream eventID> | APPLIED |        |                               |
 * | webhook endpoint    | SHOP#<shop>#ENDPOINT        | <endpointId>       |                                  |                               |
 * | outgoing event (until fanned out) | SHOP#<shop>#WHEVT#<eventId> | WHEVT | SHOP#<shop>#WHQ / <dueAt>#E#<eventId> |                  |
 * | outgoing delivery (TTL 30 d once settled) | SHOP#<shop>#WHDLV#<endpointId> | <deliveryId> | SHOP#<shop>#WHQ / <dueAt>#D#<endpointId>#<deliveryId> (while unsettled) | |
 * | webhook body (TTL 7 d) | WHBODY#<sha-256 of the raw body> | WHBODY     |                                  |                               |
 * | redaction (audit)   | REDACTION#<shop>            | <redactionId>      | REDACTIONS#DUE / <dueAt>#<shop>#<id> (while scheduled) |  |
 * | console user        | SHOP#<shop>#USERS           | USER#<userId>      |                                  | USEREMAIL#<e-mail hash> / <shop>#<userId> |
 * | console user e-mail (unique per shop) | SHOP#<shop>#USERS | EMAIL#<e-mail hash> |                        |                               |
 * | console owner count | SHOP#<shop>#USERS           | OWNERS             |                                  |                               |
 * | audit entry (TTL 400 d) | SHOP#<shop>#AUDIT       | <ulid>             | SHOP#<shop>#AUDIT#<action> / <ulid> |                            |
 * | console sign-in link (TTL 15 min) | CONSOLELINK#<token hash> | LINK     |                                  |                               |
 * | console session (TTL 7 d) | CONSOLESESSION#<cookie hash> | SESSION  | CONSOLESESSIONS#<e-mail hash> / <createdAt>#<cookie hash> |  |
 *
 * Console sign-in links and sessions belong to an e-mail address, which may be a user of several
 * shops, so they live outside every shop's partitions (and expire by TTL).
 *
 * Three kinds of item live outside a shop's partitions on purpose. A webhook body is bound to the
 * first shop and topic it was accepted under, whichever shop a replay names. A redaction
 * record is the audit trail of an erasure, so it must outlive the shop it erased. The global
 * code index is the third (next paragraph).
 *
 * Outbox items have their own partitions (not the customer's) so SES message tags — shop and
 * outbox id — locate them from a bounce or send event. The gsi1 entry exists only while an
 * e-mail still has to be sent (or a claim on it may have to be taken over): it is the sweep's
 * work queue, due time first.
 *
 * The global code index is outside a shop's partitions because `GET /r/{code}` carries no
 * shop id, so codes are unique across all shops (and so, still, per shop). It holds
 * `{ shopId, cid, disabled? }`; whoever creates or disables a code writes it together with the
 * shop's own code item in one transaction (`attribute_not_exists(pk)` on both when creating),
 * and shop/redact must delete it separately (it does not start with `SHOP#<shop>#`).
 *
 * `cid` is `i.<platform customer id>` or, for guest checkouts, `e.<sha-256 of the e-mail>`, so
 * no e-mail address ever appears in a key.
 */
export const keys = {
  consoleLink: (tokenHash: string) => ({ pk: `CONSOLELINK#${tokenHash}`, sk: 'LINK' }),
  consoleSession: (idHash: string) => ({ pk: `CONSOLESESSION#${idHash}`, sk: 'SESSION' }),
  consoleSessionsOf: (emailHash: string) => `CONSOLESESSIONS#${emailHash}`,
  shop: (shopId: string) => ({ pk: `SHOP#${shopId}`, sk: 'SHOP' }),
  shopListing: (shopId: string) => ({ [indexes.byTime.pk]: keys.shopListPartition, [indexes.byTime.sk]: shopId }),
  shopListPartition: 'SHOPS',
  /** Prefix of every partition a shop owns besides the shop item. */
  shopPartitionPrefix: (shopId: string) => `SHOP#${shopId}#`,

  customerPartition: (shopId: string, cid: string) => `SHOP#${shopId}#C#${cid}`,
  customer: (shopId: string, cid: string) => ({ pk: keys.customerPartition(shopId, cid), sk: 'PROFILE' }),
  customerWake: (shopId: string, cid: string, wakeAt: string) => ({
    [indexes.byTime.pk]: `SHOP#${shopId}#WAKE`,
    [indexes.byTime.sk]: `${wakeAt}#${cid}`,
  }),
  customerWakePartition: (shopId: string) => `SHOP#${shopId}#WAKE`,
  customerEmail: (shopId: string, emailHash: string, cid: string) => ({
    [indexes.alternate.pk]: `SHOP#${shopId}#EMAIL#${emailHash}`,
    [indexes.alternate.sk]: cid,
  }),
  customerEmailPartition: (shopId: string, emailHash: string) => `SHOP#${shopId}#EMAIL#${emailHash}`,

  ledgerEntry: (shopId: string, cid: string, entryId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `L#${entryId}`,
  }),
  ledgerPrefix: 'L#',
  /** Scoped to the shop, not the customer: one key names one request, whoever it was for. */
  idempotency: (shopId: string, key: string) => ({ pk: `SHOP#${shopId}#IDEM#${key}`, sk: 'IDEM' }),
  dataRequest: (shopId: string, cid: string, requestId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `${keys.dataRequestPrefix}${requestId}`,
  }),
  dataRequestPrefix: 'DATAREQ#',
  event: (shopId: string, cid: string, eventId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `EVT#${eventId}`,
  }),
  /** The customer's current churn segment with its recent history (written by the nightly job). */
  segment: (shopId: string, cid: string) => ({ pk: keys.customerPartition(shopId, cid), sk: 'SEGMENT' }),
  npsAnswer: (shopId: string, cid: string, answerId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `${keys.npsPrefix}${answerId}`,
  }),
  npsPrefix: 'NPS#',
  /** Every NPS answer of a shop by time (the metrics' answers up to now), on gsi1. */
  npsListing: (shopId: string, at: string, answerId: string) => ({
    [indexes.byTime.pk]: keys.npsListingPartition(shopId),
    [indexes.byTime.sk]: `${at}#${answerId}`,
  }),
  /** Every NPS answer of a shop by time (the listing's partition). */
  npsListingPartition: (shopId: string) => `SHOP#${shopId}#NPS`,
  /** The loyalty metrics a nightly run computed for one as-of day (docs/metrics.md). */
  metricsDay: (shopId: string, asOf: string) => ({ pk: keys.metricsPartition(shopId), sk: asOf }),
  metricsPartition: (shopId: string) => `SHOP#${shopId}#METRICS`,
  /**
   * A detractor's or commented answer whose feedback alert has not gone yet (docs/surveys.md), on
   * gsi2: the hourly batch's work list, removed when the alert is sent.
   */
  feedbackPending: (shopId: string, at: string, answerId: string) => ({
    [indexes.alternate.pk]: keys.feedbackPendingPartition(shopId),
    [indexes.alternate.sk]: `${at}#${answerId}`,
  }),
  feedbackPendingPartition: (shopId: string) => `SHOP#${shopId}#FEEDBACK`,
  /** An activity (ways to earn), by when it happened: the customer's activity timeline. */
  activity: (shopId: string, cid: string, occurredAt: string, activityId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `${keys.activityPrefix}${occurredAt}#${activityId}`,
  }),
  activityPrefix: 'ACT#',
  /** How many of a stock-limited reward were redeemed (the stock itself is in the program). */
  rewardStock: (shopId: string, rewardId: string) => ({ pk: `SHOP#${shopId}#REWARD#${rewardId}`, sk: 'STOCK' }),
  /** One nightly run: status and result; expires 90 days after it was started. */
  nightlyJob: (shopId: string, jobId: string) => ({ pk: `${keys.nightlyJobPrefix(shopId)}${jobId}`, sk: 'JOB' }),
  nightlyJobPrefix: (shopId: string) => `SHOP#${shopId}#JOB#`,
  /** The run history (`GET …/jobs`): a shop's jobs by creation time, newest first. */
  nightlyJobListing: (shopId: string, createdAt: string, jobId: string) => ({
    [indexes.byTime.pk]: keys.nightlyJobsPartition(shopId),
    [indexes.byTime.sk]: `${createdAt}#${jobId}`,
  }),
  nightlyJobsPartition: (shopId: string) => `SHOP#${shopId}#JOBS`,

  order: (shopId: string, orderId: string) => ({ pk: `SHOP#${shopId}#O#${orderId}`, sk: 'ORDER' }),

  /**
   * One import (docs/import.md): status, counts, checkpoint and lease. All of a shop's imports
   * share a partition so `GET …/imports` is one Query, newest first (ULIDs sort by time); a job
   * is written once per chunk of its file, so the partition stays cold.
   */
  importJob: (shopId: string, importId: string) => ({
    pk: keys.importPartition(shopId),
    sk: `${keys.importPrefix}${importId}`,
  }),
  importPartition: (shopId: string) => `SHOP#${shopId}#IMPORTS`,
  importPrefix: 'IMPORT#',

  /**
   * A customer's purchase summary for the nightly run, kept from the table stream
   * (shared/domain/churn/customer-summary.ts); the shard is `summaryShardOf(cid)`.
   */
  customerSummary: (shopId: string, shard: number, cid: string) => ({
    pk: keys.customerSummaryPartition(shopId, shard),
    sk: cid,
  }),
  customerSummaryPartition: (shopId: string, shard: number) => `SHOP#${shopId}#SUMMARY#${shard}`,
  /** Present once the shop's summaries are complete: written at shop creation, or by the first night's backfill. */
  customerSummaryMarker: (shopId: string) => ({ pk: `SHOP#${shopId}#SUMMARY`, sk: 'META' }),
  /** The purchase model the last nightly run chose, kept so a close call does not flip it every night. */
  nightlyModelChoice: (shopId: string) => ({ pk: `SHOP#${shopId}#NIGHTLY`, sk: 'MODEL' }),

  /** Codes are stored upper-case; lookups normalise first, so codes are case-insensitive. */
  referralCode: (shopId: string, code: string) => ({ pk: `SHOP#${shopId}#CODE#${code}`, sk: 'CODE' }),
  /** Code → shop for the public `/r/{code}` link; makes codes globally unique (see above). */
  globalReferralCode: (code: string) => ({ pk: `${keys.globalReferralCodePrefix}${code}`, sk: 'CODE' }),
  globalReferralCodePrefix: 'CODE#',
  clickDedupe: (shopId: string, code: string, visitor: string) => ({
    pk: `SHOP#${shopId}#CLICK#${code}#${visitor}`,
    sk: 'CLICK',
  }),
  referralStatsDay: (shopId: string, day: string) => ({ pk: `SHOP#${shopId}#RSTATS`, sk: day }),
  referralStatsPartition: (shopId: string) => `SHOP#${shopId}#RSTATS`,
  referral: (shopId: string, friendCid: string) => ({
    pk: `${keys.referralPrefix(shopId)}${friendCid}`,
    sk: 'REFERRAL',
  }),
  /** Prefix of every referral's pk in a shop. */
  referralPrefix: (shopId: string) => `SHOP#${shopId}#REFERRAL#`,
  referralByStatus: (shopId: string, status: string, createdAt: string, friendCid: string) => ({
    [indexes.byTime.pk]: `SHOP#${shopId}#REFERRALS#${status}`,
    [indexes.byTime.sk]: `${createdAt}#${friendCid}`,
  }),
  referralStatusPartition: (shopId: string, status: string) => `SHOP#${shopId}#REFERRALS#${status}`,
  /**
   * One per person ever referred in a shop, by canonical e-mail: a friend is referred once, whatever account
   * they use.
   */
  referredFriend: (shopId: string, canonicalEmailHash: string) => ({
    pk: `SHOP#${shopId}#REFERRED#${canonicalEmailHash}`,
    sk: 'REFERRED',
  }),
  velocity: (shopId: string, kind: 'ip' | 'addr', hash: string) => ({
    pk: `SHOP#${shopId}#VEL#${kind}#${hash}`,
    sk: 'VEL',
  }),

  tierChange: (shopId: string, cid: string, changeId: string) => ({
    pk: keys.customerPartition(shopId, cid),
    sk: `TIER#${changeId}`,
  }),
  tierChangePrefix: 'TIER#',
  outbox: (shopId: string, outboxId: string) => ({ pk: `${keys.outboxPrefix(shopId)}${outboxId}`, sk: 'OUTBOX' }),
  /** Prefix of every outbox item's pk in a shop. */
  outboxPrefix: (shopId: string) => `SHOP#${shopId}#OUTBOX#`,
  outboxQueue: (shopId: string, dueAt: string, outboxId: string) => ({
    [indexes.byTime.pk]: keys.outboxQueuePartition(shopId),
    [indexes.byTime.sk]: `${dueAt}#${outboxId}`,
  }),
  outboxQueuePartition: (shopId: string) => `SHOP#${shopId}#OUTBOX`,
  outboxSettled: (shopId: string, status: string, at: string, outboxId: string) => ({
    [indexes.alternate.pk]: keys.outboxSettledPartition(shopId, status),
    [indexes.alternate.sk]: `${at}#${outboxId}`,
  }),
  outboxSettledPartition: (shopId: string, status: string) => `SHOP#${shopId}#OUTBOX#${status}`,
  /** A settled e-mail in its customer's listing (gsi1, where the unsent queue entry was). */
  customerMail: (shopId: string, cid: string, at: string, outboxId: string) => ({
    [indexes.byTime.pk]: keys.customerMailPartition(shopId, cid),
    [indexes.byTime.sk]: `${at}#${outboxId}`,
  }),
  customerMailPartition: (shopId: string, cid: string) => `SHOP#${shopId}#C#${cid}#EMAILS`,
  suppression: (shopId: string, emailHash: string) => ({
    pk: `${keys.suppressionPrefix(shopId)}${emailHash}`,
    sk: 'SUPPRESS',
  }),
  /** Prefix of every suppressed address's pk in a shop. */
  suppressionPrefix: (shopId: string) => `SHOP#${shopId}#SUPPRESS#`,
  suppressionListing: (shopId: string, at: string, emailHash: string) => ({
    [indexes.byTime.pk]: keys.suppressionListPartition(shopId),
    [indexes.byTime.sk]: `${at}#${emailHash}`,
  }),
  suppressionListPartition: (shopId: string) => `SHOP#${shopId}#SUPPRESSIONS`,
  emailStatsDay: (shopId: string, day: string) => ({ pk: keys.emailStatsPartition(shopId), sk: day }),
  emailStatsPartition: (shopId: string) => `SHOP#${shopId}#ESTATS`,
  /** A shop's counters of one day in its time zone, kept from the table stream (docs/console.md, "Statistics"). */
  dailyStats: (shopId: string, day: string) => ({ pk: keys.dailyStatsPartition(shopId), sk: day }),
  dailyStatsPartition: (shopId: string) => `SHOP#${shopId}#DSTATS`,
  /** Says a stream record's counters were added to the daily stats: a redelivered record is skipped. */
  dailyStatsApplied: (shopId: string, eventId: string) => ({
    pk: `SHOP#${shopId}#DSTATS#APPLIED#${eventId}`,
    sk: 'APPLIED',
  }),

  /** A shop's outgoing webhook endpoints share one partition: a fan-out reads them with one query. */
  endpointPartition: (shopId: string) => `SHOP#${shopId}#ENDPOINT`,
  endpoint: (shopId: string, endpointId: string) => ({ pk: keys.endpointPartition(shopId), sk: endpointId }),
  /** An outgoing event, written with the fact it reports and deleted once fanned out into deliveries. */
  outgoingEvent: (shopId: string, eventId: string) => ({ pk: `SHOP#${shopId}#WHEVT#${eventId}`, sk: 'WHEVT' }),
  /** The outgoing webhooks' work queue (gsi1): events to fan out and deliveries to try, due time first. */
  outgoingQueuePartition: (shopId: string) => `SHOP#${shopId}#WHQ`,
  outgoingEventQueue: (shopId: string, dueAt: string, eventId: string) => ({
    [indexes.byTime.pk]: keys.outgoingQueuePartition(shopId),
    [indexes.byTime.sk]: `${dueAt}#E#${eventId}`,
  }),
  deliveryPartition: (shopId: string, endpointId: string) => `SHOP#${shopId}#WHDLV#${endpointId}`,
  delivery: (shopId: string, endpointId: string, deliveryId: string) => ({
    pk: keys.deliveryPartition(shopId, endpointId),
    sk: deliveryId,
  }),
  deliveryQueue: (shopId: string, dueAt: string, endpointId: string, deliveryId: string) => ({
    [indexes.byTime.pk]: keys.outgoingQueuePartition(shopId),
    [indexes.byTime.sk]: `${dueAt}#D#${endpointId}#${deliveryId}`,
  }),

  /**
   * Console users (docs/console.md): a shop's users, the e-mail items that make an address unique
   * per shop, and the owner count that keeps the last owner, share one partition, so listing is
   * one Query and every change is one transaction within it. The user item's gsi2 entry finds
   * every shop of an address (sign-in).
   */
  usersPartition: (shopId: string) => `SHOP#${shopId}#USERS`,
  consoleUser: (shopId: string, userId: string) => ({
    pk: keys.usersPartition(shopId),
    sk: `${keys.consoleUserPrefix}${userId}`,
  }),
  consoleUserPrefix: 'USER#',
  consoleUserByEmail: (emailHash: string, shopId: string, userId: string) => ({
    [indexes.alternate.pk]: keys.consoleUserEmailPartition(emailHash),
    [indexes.alternate.sk]: `${shopId}#${userId}`,
  }),
  consoleUserEmailPartition: (emailHash: string) => `USEREMAIL#${emailHash}`,
  consoleUserEmail: (shopId: string, emailHash: string) => ({
    pk: keys.usersPartition(shopId),
    sk: `EMAIL#${emailHash}`,
  }),
  consoleOwners: (shopId: string) => ({ pk: keys.usersPartition(shopId), sk: 'OWNERS' }),

  /** The shop's audit log, newest first by ULID; gsi1 lists one action's entries. */
  auditPartition: (shopId: string) => `SHOP#${shopId}#AUDIT`,
  auditEntry: (shopId: string, entryId: string) => ({ pk: keys.auditPartition(shopId), sk: entryId }),
  auditByAction: (shopId: string, action: string, entryId: string) => ({
    [indexes.byTime.pk]: keys.auditActionPartition(shopId, action),
    [indexes.byTime.sk]: entryId,
  }),
  auditActionPartition: (shopId: string, action: string) => `SHOP#${shopId}#AUDIT#${action}`,

  webhookBody: (bodySha256: string) => ({ pk: `WHBODY#${bodySha256}`, sk: 'WHBODY' }),
  redactionPartition: (shopId: string) => `REDACTION#${shopId}`,
  redaction: (shopId: string, redactionId: string) => ({ pk: keys.redactionPartition(shopId), sk: redactionId }),
  redactionsDuePartition: 'REDACTIONS#DUE',
  redactionDue: (dueAt: string, shopId: string, redactionId: string) => ({
    [indexes.byTime.pk]: keys.redactionsDuePartition,
    [indexes.byTime.sk]: `${dueAt}#${shopId}#${redactionId}`,
  }),
} as const;

/**
 * The table's global secondary indexes, declared once: infra/table.ts builds the table from these
 * names (shared code may not import infra/), and every adapter queries through them. Both are
 * KEYS_ONLY: a query returns keys, the records are then read by key.
 */
export const indexes = {
  /**
   * gsi1, by time within a partition: work queues and listings (customers due for the daily job,
   * unsent e-mails, suppressions, referrals by status, redactions due) and the shop list.
   */
  byTime: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  /** gsi2, alternate keys and settled listings: customer by e-mail hash, settled e-mails by status. */
  alternate: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
} as const;
