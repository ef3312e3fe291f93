import { describe, expect, it } from 'vitest';
import { loyaltyPageSecretFrom, loyaltyPageToken } from '../../../shared/domain/storefront/page-token';
import { signSurveyToken, surveySecretFrom, verifySurveyToken } from '../../../shared/domain/surveys/token';

const secret = surveySecretFrom('operator-key-for-tests');
const subject = { shopId: 'shop-1', cid: 'i.7', surveyId: 'abcDEF123_-', orderId: '1001', locale: 'da' };
const SENT = new Date('2026-03-15T09:00:00.000Z');
const day = 86_400_000;

describe('survey links', () => {
  it('round-trip their claims and expire linkValidDays after sending', () => {
    const token = signSurveyToken(secret, subject, SENT, 30);
    const expiresAt = SENT.getTime() / 1000 + 30 * 86_400;
    expect(verifySurveyToken(secret, token, 'shop-1', new Date(SENT.getTime() + 29 * day))).toEqual({
      ok: true,
      value: { ...subject, expiresAt },
    });
    expect(verifySurveyToken(secret, token, 'shop-1', new Date(SENT.getTime() + 30 * day))).toEqual({
      ok: false,
      error: { kind: 'invalid_survey_link', reason: 'expired' },
    });
  });

  it('are refused for another shop, with a changed payload, or signed for another purpose', () => {
    const token = signSurveyToken(secret, subject, SENT, 30);
    expect(verifySurveyToken(secret, token, 'shop-2', SENT)).toMatchObject({ error: { reason: 'wrong_shop' } });
    const [payload, mac] = token.split('.') as [string, string];
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString('utf8').replace('"c":"i.7"', '"c":"i.8"'),
    ).toString('base64url');
    expect(verifySurveyToken(secret, `${forged}.${mac}`, 'shop-1', SENT)).toMatchObject({
      error: { reason: 'bad_signature' },
    });
    const page = loyaltyPageToken(
      loyaltyPageSecretFrom('operator-key-for-tests'),
      { shopId: 'shop-1', cid: 'i.7' },
      SENT,
    );
    expect(verifySurveyToken(secret, page, 'shop-1', SENT)).toMatchObject({ error: { reason: 'bad_signature' } });
    expect(verifySurveyToken(secret, 'not-a-token', 'shop-1', SENT)).toMatchObject({ error: { reason: 'malformed' } });
  });

  it('are refused under another operator key (rotation invalidates them)', () => {
    const token = signSurveyToken(secret, subject, SENT, 30);
    expect(verifySurveyToken(surveySecretFrom('rotated'), token, 'shop-1', SENT).ok).toBe(false);
  });
});
