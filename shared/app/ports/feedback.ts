import type { NpsAnswer } from './nightly';

/** An answer whose feedback alert has not gone yet. */
export interface PendingFeedback {
  cid: string;
  answerId: string;
}

/**
 * Feedback alerts over the stored NPS answers (DynamoDB: shared/adapters/feedback-store.ts).
 * An answer that needs an alert is listed when it is written (NightlyStore.putNpsAnswer); a
 * batch claims each one under a lease before sending and marks it alerted after, so two
 * batches never send the same answer and a crashed one leaves it to the next after the lease.
 */
export interface FeedbackStore {
  /** Answers at or before `until` still waiting for their alert, oldest first. */
  pending(shopId: string, until: string, limit: number): Promise<PendingFeedback[]>;
  /** Takes the answer for this batch; undefined when it is alerted already or another batch holds it. */
  claim(
    shopId: string,
    ref: PendingFeedback,
    input: { claim: string; now: string; leaseUntil: string },
  ): Promise<NpsAnswer | undefined>;
  /** The alert went: the answer leaves the pending list. False if the claim was lost. */
  markAlerted(shopId: string, ref: PendingFeedback, claim: string, at: string): Promise<boolean>;
  /** The alert could not go: the answer may be taken again at once. */
  release(shopId: string, ref: PendingFeedback, claim: string): Promise<void>;
  /** One stored answer (a survey's is under its survey id). */
  getAnswer(shopId: string, cid: string, answerId: string): Promise<NpsAnswer | undefined>;
}
