import { Buffer } from 'node:buffer';
import type { DomainResult } from '../result';
import { err, ok } from '../result';
import type { ParseError } from './common';

/**
 * JSON.parse for webhook bodies that keeps every number exactly.
 *
 * `JSON.parse` turns `820982911946154508` (a real-looking Shopify id; Shopify's own sample
 * payloads use such ids) into 820982911946154500. Node 20 has no reviver `context.source`, so
 * before parsing we scan the text once (skipping string literals) and put quotes around every
 * number literal that a double would not hold exactly:
 * - integers outside ±(2^53 − 1), e.g. ids;
 * - decimals or exponent forms with more than 15 significant digits (15 always round-trip).
 * Those values arrive as strings; the webhook schemas accept ids and amounts as string or number,
 * so the parsers see the digits exactly as sent. Every other number is untouched.
 */

const numberToken = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

const losesPrecision = (literal: string): boolean => {
  if (/^-?\d+$/.test(literal)) return !Number.isSafeInteger(Number(literal));
  const mantissa = literal
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  return mantissa.replace(/0+$/, '').length > 15;
};

/** Rewrites the text so that imprecise number literals become string literals. Pure text pass. */
export const quoteImpreciseNumbers = (text: string): string => {
  let out = '';
  let last = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i += 1;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) {
          i += 1;
          break;
        } else i += 1;
      }
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      numberToken.lastIndex = i;
      const m = numberToken.exec(text);
      if (!m || m[0].length === 0) {
        i += 1;
        continue;
      }
      const literal = m[0];
      if (losesPrecision(literal)) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i += 1;
  }
  return last === 0 ? text : out + text.slice(last);
};

/** Decodes a webhook body (bytes or text) to JSON without losing number precision. Never throws. */
export const parseWebhookJson = (raw: Uint8Array | string): DomainResult<unknown, ParseError> => {
  let text = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return err({ kind: 'invalid_payload', issues: [{ path: '', message: 'body is empty' }] });
  try {
    return ok(JSON.parse(quoteImpreciseNumbers(text)) as unknown);
  } catch (e) {
    return err({
      kind: 'invalid_payload',
      issues: [{ path: '', message: `body is not valid JSON: ${e instanceof Error ? e.message : String(e)}` }],
    });
  }
};
