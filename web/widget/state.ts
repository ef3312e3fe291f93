import type { HistoryPage, MeView, ProgramView, RedemptionResponse } from '../../shared/schemas/storefront';
import type { Session } from './session';

/** Everything the panel shows; views.ts renders it, element.ts changes it. */
export interface WidgetState {
  program: ProgramView | null;
  programFailed: boolean;
  session: Session | null;
  me: MeView | null;
  meFailed: boolean;
  /** The reward whose confirm step is showing, and the idempotency key its redemption will use. */
  confirming: { rewardId: string; key: string } | null;
  /** A redemption request in flight. */
  busy: boolean;
  /** The latest redemption, shown (with its code) until the panel closes or another is made. */
  redeemed: { rewardName: string; response: RedemptionResponse } | null;
  /** An error to show near the rewards, in words. */
  notice: string | null;
  /** History pages loaded with "Show more", after the 20 items `me` brings. */
  moreHistory: HistoryPage['history'];
  nextCursor: string | null;
  referralCode: string | null;
}

export const initialState = (session: Session | null, referralCode: string | null): WidgetState => ({
  program: null,
  programFailed: false,
  session,
  me: null,
  meFailed: false,
  confirming: null,
  busy: false,
  redeemed: null,
  notice: null,
  moreHistory: [],
  nextCursor: null,
  referralCode,
});
