import { operatorKey } from '../adapters/operator-key';
import { surveySecretFrom } from '../domain/surveys/token';
import { dynamoFeedbackStore } from '../adapters/feedback-store';
import { newId } from '../adapters/ids';
import { mailerFor } from '../adapters/mailer';
import { dynamoUserStore } from '../adapters/user-store';
import type { FeedbackAlertDeps } from '../app/feedback-alert-service';
import type { SurveyDeps } from '../app/survey-service';
import { ledgerDeps, type Runtime } from './runtime';
import { summaryStore } from './summary-runtime';

/**
 * The key of the survey links in our e-mails, derived from the operator key: the outbox signs
 * with it, the survey page verifies with it. Undefined without an operator key.
 */
export const surveySecret = async (rt: Runtime): Promise<Buffer | undefined> => {
  const key = await operatorKey(rt);
  return key ? surveySecretFrom(key) : undefined;
};

/** The survey page's deps: the link key, the answers, and the ledger for the `survey` way to earn. */
export const surveyDeps = async (rt: Runtime): Promise<SurveyDeps> => ({
  ...ledgerDeps(rt),
  secret: await surveySecret(rt),
  nightly: rt.nightly,
  feedback: dynamoFeedbackStore(rt.table, rt.tableName),
  logger: rt.logger,
});

/** The feedback alerts' deps: pending answers, the customers' history, the shop's users, SES. */
export const feedbackAlertDeps = (rt: Runtime): FeedbackAlertDeps => ({
  feedback: dynamoFeedbackStore(rt.table, rt.tableName),
  ledger: rt.ledger,
  summaries: summaryStore(rt),
  users: dynamoUserStore(rt.table, rt.tableName),
  mailer: mailerFor(rt),
  clock: rt.clock,
  newId,
  logger: rt.logger,
});
