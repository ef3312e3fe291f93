import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../shared/schemas/env';

describe('parseEnv', () => {
  it('fills in the defaults', () => {
    expect(parseEnv({})).toMatchObject({
      BOOMERANG_TABLE_NAME: 'boomerang',
      BOOMERANG_CLICK_RATE_PER_MINUTE: 30,
      BOOMERANG_NIGHTLY_SEGMENTS: 4,
      BOOMERANG_OUTBOX_INTERVAL_SECONDS: 2,
      LOG_LEVEL: 'info',
    });
    expect(parseEnv({}).BOOMERANG_PUBLIC_BASE_URL).toBeUndefined();
  });

  it('reads numbers from strings', () => {
    const env = parseEnv({
      BOOMERANG_NIGHTLY_SEGMENTS: '8',
      BOOMERANG_OUTBOX_INTERVAL_SECONDS: '0.5',
      BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS: '0',
    });
    expect(env).toMatchObject({
      BOOMERANG_NIGHTLY_SEGMENTS: 8,
      BOOMERANG_OUTBOX_INTERVAL_SECONDS: 0.5,
      BOOMERANG_OUTBOX_IN_DOUBT_WAIT_SECONDS: 0,
    });
  });

  it('fails at once, naming every bad variable and why', () => {
    const bad = {
      BOOMERANG_CLICK_RATE_PER_MINUTE: '0',
      BOOMERANG_NIGHTLY_SEGMENTS: '2.5',
      LOG_LEVEL: 'loud',
      BOOMERANG_PUBLIC_BASE_URL: 'not a url',
      BOOMERANG_TABLE_NAME: 'ab',
    };
    expect(() => parseEnv(bad)).toThrow(/^Invalid environment: /);
    const message = (() => {
      try {
        parseEnv(bad);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toContain('BOOMERANG_CLICK_RATE_PER_MINUTE: Too small: expected number to be >=1');
    expect(message).toContain('BOOMERANG_NIGHTLY_SEGMENTS: Invalid input: expected int');
    expect(message).toContain('LOG_LEVEL: Invalid option');
    expect(message).toContain('BOOMERANG_PUBLIC_BASE_URL: Invalid URL');
    expect(message).toContain('BOOMERANG_TABLE_NAME: Too small');
  });
});
