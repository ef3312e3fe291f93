import type { Shop } from '../domain/shop';
import { verifySurveyToken, type SurveyClaims, type SurveyTokenError } from '../domain/surveys/token';
import { err, ok, type DomainResult } from '../domain/result';
import type { SurveyForm } from '../schemas/surveys';
import { recordActivity } from './activity-service';
import type { CustomerChangeDeps } from './customer-admin-service';
import type { FeedbackStore } from './ports/feedback';
import type { Logger } from './ports/logger';
import type { NightlyStore, NpsAnswer } from './ports/nightly';

/** The hosted survey page's use cases (docs/surveys.md). */
export interface SurveyDeps extends Pick<CustomerChangeDeps, 'store' | 'clock' | 'newId' | 'random' | 'sleep'> {
  /** Verifies the links (domain/surveys/token.ts); undefined without an operator key: every link is refused. */
  secret: Buffer | undefined;
  nightly: Pick<NightlyStore, 'putNpsAnswer'>;
  feedback: Pick<FeedbackStore, 'getAnswer'>;
  logger: Logger;
}

const claimsOf = (deps: SurveyDeps, shop: Shop, token: string): DomainResult<SurveyClaims, SurveyTokenError> =>
  deps.secret
    ? verifySurveyToken(deps.secret, token, shop.id, deps.clock.now())
    : err({ kind: 'invalid_survey_link', reason: 'bad_signature' });

/** What the link opens: the questions, or "already answered". */
export const openSurvey = async (
  deps: SurveyDeps,
  shop: Shop,
  token: string,
): Promise<DomainResult<{ claims: SurveyClaims; answered: boolean }, SurveyTokenError>> => {
  const claims = claimsOf(deps, shop, token);
  if (!claims.ok) return claims;
  const { cid, surveyId } = claims.value;
  return ok({ claims: claims.value, answered: !!(await deps.feedback.getAnswer(shop.id, cid, surveyId)) });
};

export type SurveyAnswered = { outcome: 'recorded' | 'already_answered'; claims: SurveyClaims; points: number };

/**
 * Records the answer once: it is stored under the survey id with a conditional put, so a second
 * submit (or two racing) changes nothing. The `survey` way to earn is then awarded under the
 * activity id `survey:<surveyId>`, at the stored answer's time, so that a submit after an award
 * that was lost (a crash between the two writes) awards it, and never twice.
 */
export const answerSurvey = async (
  deps: SurveyDeps,
  shop: Shop,
  form: SurveyForm,
): Promise<DomainResult<SurveyAnswered, SurveyTokenError>> => {
  const claims = claimsOf(deps, shop, form.token);
  if (!claims.ok) return claims;
  const { cid, surveyId, orderId } = claims.value;
  const answer: NpsAnswer = {
    cid,
    answerId: surveyId,
    score: form.score,
    buyAgain: form.buyAgain,
    tryOther: form.tryOther,
    ...(form.comment ? { comment: form.comment } : {}),
    at: deps.clock.now().toISOString(),
    source: 'survey',
    surveyId,
    orderId,
  };
  const recorded = await deps.nightly.putNpsAnswer(shop.id, answer);
  const stored = recorded ? answer : await deps.feedback.getAnswer(shop.id, cid, surveyId);
  const points = stored ? await award(deps, shop, stored) : 0;
  return ok({ outcome: recorded ? 'recorded' : 'already_answered', claims: claims.value, points });
};

/** Points the answer earned: 0 without a `survey` way to earn, past its limit, or for a customer gone. */
const award = async (deps: SurveyDeps, shop: Shop, answer: NpsAnswer): Promise<number> => {
  const r = await recordActivity(deps, shop, {
    customerRef: answer.cid,
    cid: answer.cid,
    activity: {
      id: `survey:${answer.answerId}`,
      type: 'survey',
      occurredAt: answer.at,
      source: 'survey',
      ...(answer.orderId ? { properties: { orderId: answer.orderId } } : {}),
    },
  });
  if (!r.ok) {
    deps.logger.warn('survey answer not awarded', { shopId: shop.id, surveyId: answer.answerId, reason: r.error.kind });
    return 0;
  }
  return (r.value.body as { activity: { points: number } }).activity.points;
};
