import type { JWTPayload, JWTVerifyOptions, ProtectedHeaderParameters } from 'jose';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { DomainResult } from '../result';
import { err, ok } from '../result';

/**
 * The one place the storefront verifies a JWT. Everything here is HS256 only: the algorithm is
 * checked against the header before any key is touched (so `none`, RS256 and HS384 get a clear
 * reason), and again by jose's `algorithms` allow-list, which is what actually enforces it.
 */

export type JwtFailure =
  | 'malformed'
  | 'bad_signature'
  | 'wrong_algorithm'
  | 'wrong_type'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'invalid_claim';

export const ALGORITHM = 'HS256';

// Far above any token we mint or expect (a few hundred bytes); bounds the work a stranger can ask for.
const MAX_TOKEN_LENGTH = 4096;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export const epochSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);

const fromJoseError = (e: unknown): JwtFailure => {
  if (e instanceof errors.JWTExpired) return 'expired';
  if (e instanceof errors.JOSEAlgNotAllowed) return 'wrong_algorithm';
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.reason === 'missing') return 'missing_claim';
    if (e.claim === 'typ') return 'wrong_type';
    if (e.claim === 'iss') return 'wrong_issuer';
    if (e.claim === 'aud') return 'wrong_audience';
    if (e.reason === 'invalid') return 'invalid_claim';
    if (e.claim === 'nbf' || e.claim === 'iat') return 'not_yet_valid';
    return 'invalid_claim';
  }
  return 'malformed';
};

export type VerifiedJwt = { payload: JWTPayload; protectedHeader: ProtectedHeaderParameters };

/**
 * Verifies with each key in turn (current first, then the ones still in their rotation grace).
 * Only a signature mismatch moves on to the next key: any other failure comes from a token one of
 * our keys did sign, so it is the answer. Never throws.
 */
export const verifyHs256 = async (
  token: unknown,
  keys: readonly Uint8Array[],
  options: Omit<JWTVerifyOptions, 'algorithms'>,
): Promise<DomainResult<VerifiedJwt, JwtFailure>> => {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return err('malformed');
  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return err('malformed');
  }
  if (header.alg !== ALGORITHM) return err('wrong_algorithm');
  for (const key of keys) {
    if (!(key instanceof Uint8Array) || key.length === 0) continue;
    try {
      const { payload, protectedHeader } = await jwtVerify(token, key, { ...options, algorithms: [ALGORITHM] });
      return ok({ payload, protectedHeader });
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) continue;
      return err(fromJoseError(e));
    }
  }
  return err('bad_signature');
};
