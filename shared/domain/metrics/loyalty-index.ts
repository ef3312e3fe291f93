/**
 * The Customer Loyalty Index (CLI): the mean of three 0–10 answers, scaled to 0–100.
 *
 * - "How likely are you to recommend us to friends and family?" (the NPS question, `score`)
 * - "How likely are you to buy from us again?" (`buyAgain`)
 * - "How likely are you to try other products of ours?" (`tryOther`)
 *
 * Only answers with all three count (the API's plain NPS answer asks one question; a survey asks
 * three). Index = 10 × Σ(score + buyAgain + tryOther) / (3 × responses), rounded half up to 2
 * decimals; 0 with no responses (`responses` tells the two apart). `answerSum` is the exact sum of
 * the answers, so answers given later add to it without rounding (`withLaterAnswers`, day-metrics.ts).
 */
import { roundedRatio } from '../churn/metrics';

export interface LoyaltyIndexAnswer {
  score: number;
  buyAgain?: number;
  tryOther?: number;
}

export interface LoyaltyIndexResult {
  /** 0–100, 2 decimals. */
  score: number;
  responses: number;
  /** Σ of the three answers over the responses. */
  answerSum: number;
}

const isAnswer = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 10;

/** The three answers of a complete CLI response, or undefined. */
export const loyaltyIndexAnswers = (a: LoyaltyIndexAnswer): [number, number, number] | undefined =>
  isAnswer(a.score) && isAnswer(a.buyAgain) && isAnswer(a.tryOther) ? [a.score, a.buyAgain, a.tryOther] : undefined;

/** The index from a response count and answer sum. */
export const loyaltyIndexOf = (responses: number, answerSum: number): LoyaltyIndexResult => ({
  score: roundedRatio(BigInt(answerSum) * 10n, BigInt(responses) * 3n, 2),
  responses,
  answerSum,
});

export const customerLoyaltyIndex = (answers: readonly LoyaltyIndexAnswer[]): LoyaltyIndexResult => {
  let responses = 0;
  let sum = 0;
  for (const a of answers) {
    const three = loyaltyIndexAnswers(a);
    if (!three) continue;
    responses++;
    sum += three[0] + three[1] + three[2];
  }
  return loyaltyIndexOf(responses, sum);
};
