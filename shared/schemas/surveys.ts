import * as z from 'zod';
import { maxCommentLength, surveyQuestions, type SurveyFormState, type SurveyQuestion } from '../domain/surveys/page';

/** The survey page's query: the signed link (docs/surveys.md). */
export const surveyQuerySchema = z.object({ token: z.string().min(1).max(4096) });

const answer = z.coerce.number().int().min(0).max(10);

/** The survey form as posted (application/x-www-form-urlencoded); the token rides in it. */
export const surveyFormSchema = z
  .object({
    token: z.string().min(1).max(4096),
    score: answer,
    buyAgain: answer,
    tryOther: answer,
    comment: z.string().max(maxCommentLength).optional(),
  })
  .strict();
export type SurveyForm = z.infer<typeof surveyFormSchema>;

/**
 * The form, or what to show again: the values that were valid and an error per field that was
 * not. An unknown field makes the whole post invalid (`malformed`).
 */
export const parseSurveyForm = (
  fields: Record<string, string>,
): { ok: true; form: SurveyForm } | { ok: false; token?: string; state: SurveyFormState; malformed: boolean } => {
  const parsed = surveyFormSchema.safeParse({
    ...fields,
    ...(fields.comment !== undefined ? { comment: fields.comment.replace(/\r\n/g, '\n').trim() } : {}),
  });
  if (parsed.success) {
    const { comment, ...rest } = parsed.data;
    return { ok: true, form: { ...rest, ...(comment ? { comment } : {}) } };
  }
  const state: Required<SurveyFormState> = { values: {}, errors: {} };
  for (const q of surveyQuestions) {
    const v = answer.safeParse(fields[q] ?? '');
    if (fields[q] !== undefined && fields[q] !== '' && v.success) state.values[q as SurveyQuestion] = v.data;
    else state.errors[q] = 'missing';
  }
  if (fields.comment !== undefined) {
    state.values.comment = fields.comment.slice(0, maxCommentLength);
    if (fields.comment.trim().length > maxCommentLength) state.errors.comment = 'too_long';
  }
  const known = new Set(['token', 'comment', ...surveyQuestions]);
  return {
    ok: false,
    ...(fields.token ? { token: fields.token } : {}),
    state,
    malformed: !fields.token || Object.keys(fields).some((k) => !known.has(k)),
  };
};

/** Optional body of `POST /admin/shops/{shopId}/jobs/feedback-alerts`: answers up to `asOf` (default now). */
export const feedbackAlertsRequestSchema = z.object({ asOf: z.iso.datetime({ offset: true }).optional() }).strict();

/** The hourly schedule's input: `{ "job": "feedback-alerts", "asOf"?: ISO date-time }`. */
export const scheduledFeedbackAlertsSchema = z.object({
  job: z.string().optional(),
  asOf: z.iso.datetime({ offset: true }).optional(),
});
