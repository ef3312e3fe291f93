import * as z from 'zod';
import { err, ok, type DomainResult } from '../result';
import { secretFor, signClaims, verifyClaims } from '../signed-token';

/**
 * The link in a survey e-mail: `GET /survey/{shopId}?token=…`. The token is the only credential
 * of the page, so it names everything an answer needs (shop, customer, survey, order, language)
 * and is signed with a key of its own, derived from the operator key (a loyalty page or
 * unsubscribe token never passes as one). It expires `linkValidDays` after sending; it is
 * single-use because the answer is stored under the survey id with a conditional put.
 */
export const SURVEY_PURPOSE = 'survey/v1';

export const surveySecretFrom = (operatorKey: string): Buffer => secretFor(operatorKey, SURVEY_PURPOSE);

export interface SurveyClaims {
  shopId: string;
  cid: string;
  surveyId: string;
  orderId: string;
  locale?: string;
  /** Epoch seconds after which the link is refused. */
  expiresAt: number;
}

const claimsSchema = z.object({
  s: z.string().min(1).max(63),
  c: z.string().min(1).max(512),
  v: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  o: z.string().min(1).max(255),
  l: z.string().max(8).optional(),
  exp: z.number().int().nonnegative(),
});

const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

/** `now` is when the e-mail is sent: the link lasts `validDays` from then. */
export const signSurveyToken = (
  secret: Buffer,
  subject: Omit<SurveyClaims, 'expiresAt'>,
  now: Date,
  validDays: number,
): string =>
  signClaims(secret, {
    s: subject.shopId,
    c: subject.cid,
    v: subject.surveyId,
    o: subject.orderId,
    ...(subject.locale ? { l: subject.locale } : {}),
    exp: epochSeconds(now) + validDays * 86_400,
  });

export type SurveyTokenReason = 'malformed' | 'bad_signature' | 'expired' | 'wrong_shop';
export type SurveyTokenError = { kind: 'invalid_survey_link'; reason: SurveyTokenReason };

/** The survey a link names, if it is ours, unexpired and for `shopId`. The signature is checked first. */
export const verifySurveyToken = (
  secret: Buffer,
  token: string,
  shopId: string,
  now: Date,
): DomainResult<SurveyClaims, SurveyTokenError> => {
  const fail = (reason: SurveyTokenReason) => err({ kind: 'invalid_survey_link' as const, reason });
  const checked = verifyClaims(secret, token);
  if (!checked.ok) return fail(checked.reason);
  const parsed = claimsSchema.safeParse(checked.claims);
  if (!parsed.success) return fail('malformed');
  const { s, c, v, o, l, exp } = parsed.data;
  if (s !== shopId) return fail('wrong_shop');
  if (epochSeconds(now) >= exp) return fail('expired');
  return ok({ shopId: s, cid: c, surveyId: v, orderId: o, ...(l ? { locale: l } : {}), expiresAt: exp });
};
