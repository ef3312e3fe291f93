import { escapeHtml } from '../emails/layout';
import type { EmailLocale } from '../emails/locales';

/**
 * The hosted survey page (docs/surveys.md): server-rendered, no script, no third-party request,
 * one form that posts back with the link's token. Radio buttons are native controls, so the
 * keyboard works as everywhere (Tab between questions, arrows within one, Enter or Space to send).
 */

export const surveyQuestions = ['score', 'buyAgain', 'tryOther'] as const;
export type SurveyQuestion = (typeof surveyQuestions)[number];
export const maxCommentLength = 2000;

const copy = {
  en: {
    title: (shop: string) => `Your opinion of ${shop}`,
    intro: 'Thank you for your order. Three quick questions: 0 means not at all likely, 10 extremely likely.',
    questions: {
      score: 'How likely are you to recommend us to friends and family?',
      buyAgain: 'How likely are you to buy from us again?',
      tryOther: 'How likely are you to try other products of ours?',
    },
    low: 'Not at all likely',
    high: 'Extremely likely',
    comment: 'Anything you would like to tell us? (optional)',
    send: 'Send my answer',
    missing: 'Please answer this question.',
    tooLong: `Please keep the comment to ${maxCommentLength} characters.`,
    fix: 'Some answers are missing; see below.',
    thanks: 'Thank you! Your answer has been recorded.',
    points: (n: string) => `${n} points have been added to your account.`,
    already: 'You have already answered this survey. Thank you!',
    invalid: 'This survey link is not valid or has expired.',
  },
  da: {
    title: (shop: string) => `Din mening om ${shop}`,
    intro: 'Tak for din ordre. Tre hurtige spørgsmål: 0 betyder slet ikke sandsynligt, 10 meget sandsynligt.',
    questions: {
      score: 'Hvor sandsynligt er det, at du vil anbefale os til venner og familie?',
      buyAgain: 'Hvor sandsynligt er det, at du vil købe hos os igen?',
      tryOther: 'Hvor sandsynligt er det, at du vil prøve andre af vores produkter?',
    },
    low: 'Slet ikke sandsynligt',
    high: 'Meget sandsynligt',
    comment: 'Er der noget, du vil fortælle os? (valgfrit)',
    send: 'Send mit svar',
    missing: 'Besvar venligst dette spørgsmål.',
    tooLong: `Kommentaren må højst være ${maxCommentLength} tegn.`,
    fix: 'Nogle svar mangler; se nedenfor.',
    thanks: 'Tak! Dit svar er registreret.',
    points: (n: string) => `Du har fået ${n} point på din konto.`,
    already: 'Du har allerede besvaret denne undersøgelse. Tak!',
    invalid: 'Dette link til undersøgelsen er ikke gyldigt eller er udløbet.',
  },
} as const;

const style = `body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
fieldset{border:0;margin:0 0 1.5rem;padding:0}legend{font-weight:600;margin-bottom:.5rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{position:relative}
.scale input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.scale span{display:inline-block;min-width:2.5rem;padding:.5rem 0;text-align:center;border:1px solid #888;border-radius:.3rem}
.scale input:checked+span{background:#1f6f5c;border-color:#1f6f5c;color:#fff}
.scale input:focus-visible+span{outline:3px solid #1a4fd6;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#555}
.error{color:#b00020}textarea{width:100%;box-sizing:border-box;font:inherit;min-height:6rem}
button{font-size:1rem;padding:.7rem 1.4rem;background:#1f6f5c;color:#fff;border:0;border-radius:.3rem;cursor:pointer}
button:focus-visible{outline:3px solid #1a4fd6;outline-offset:2px}`;

const page = (lang: EmailLocale, title: string, body: string) => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head>
<body><main>
${body}
</main></body></html>`;

export interface SurveyFormState {
  /** What the customer chose so far (a form sent back with errors keeps it). */
  values?: Partial<Record<SurveyQuestion, number>> & { comment?: string };
  errors?: Partial<Record<SurveyQuestion | 'comment', 'missing' | 'too_long'>>;
}

const scale = (lang: EmailLocale, q: SurveyQuestion, state: SurveyFormState): string => {
  const c = copy[lang];
  const error = state.errors?.[q];
  const options = Array.from({ length: 11 }, (_, n) => {
    const checked = state.values?.[q] === n ? ' checked' : '';
    return `<label><input type="radio" name="${q}" value="${n}" required${checked}><span>${n}</span></label>`;
  }).join('');
  return `<fieldset${error ? ` aria-describedby="${q}-error"` : ''}><legend id="${q}-legend">${escapeHtml(c.questions[q])}</legend>
${error ? `<p class="error" id="${q}-error">${escapeHtml(c.missing)}</p>` : ''}<div class="scale">${options}</div>
<div class="ends" aria-hidden="true"><span>0 · ${escapeHtml(c.low)}</span><span>10 · ${escapeHtml(c.high)}</span></div></fieldset>`;
};

/** The questions, posting back to the page's own URL with the token. */
export const surveyFormPage = (
  lang: EmailLocale,
  shopName: string,
  token: string,
  state: SurveyFormState = {},
): string => {
  const c = copy[lang];
  const commentError = state.errors?.comment;
  return page(
    lang,
    c.title(shopName),
    `<h1>${escapeHtml(c.title(shopName))}</h1>
${state.errors && Object.keys(state.errors).length ? `<p class="error" role="alert">${escapeHtml(c.fix)}</p>` : ''}<p>${escapeHtml(c.intro)}</p>
<form method="post">
<input type="hidden" name="token" value="${escapeHtml(token)}">
${surveyQuestions.map((q) => scale(lang, q, state)).join('\n')}
<p><label for="comment">${escapeHtml(c.comment)}</label><br>
${commentError ? `<span class="error" id="comment-error">${escapeHtml(c.tooLong)}</span><br>` : ''}<textarea id="comment" name="comment" maxlength="${maxCommentLength}"${commentError ? ' aria-describedby="comment-error"' : ''}>${escapeHtml(state.values?.comment ?? '')}</textarea></p>
<button type="submit">${escapeHtml(c.send)}</button>
</form>`,
  );
};

export type SurveyOutcomePage = { kind: 'thanks'; points?: string } | { kind: 'already' } | { kind: 'invalid' };

/** After sending (with the points it earned, formatted), a repeat, or a link that is not valid. */
export const surveyOutcomePage = (lang: EmailLocale, shopName: string, outcome: SurveyOutcomePage): string => {
  const c = copy[lang];
  const lines =
    outcome.kind === 'thanks'
      ? [c.thanks, ...(outcome.points ? [c.points(outcome.points)] : [])]
      : outcome.kind === 'already'
        ? [c.already]
        : [c.invalid];
  return page(
    lang,
    c.title(shopName),
    `<h1>${escapeHtml(c.title(shopName))}</h1>\n${lines.map((l) => `<p role="status">${escapeHtml(l)}</p>`).join('\n')}`,
  );
};
