import { describe, expect, it } from 'vitest';
import { targetPolicy } from '../../shared/wiring/endpoints-runtime';
import type { Runtime } from '../../shared/wiring/current-runtime';

const rt = (allow: string) => ({ env: { BOOMERANG_WEBHOOKS_ALLOW_LOOPBACK: allow } }) as unknown as Runtime;

describe('the outgoing webhooks target policy', () => {
  it('allows loopback only when the setting says so', () => {
    expect(targetPolicy(rt('true'), {}).allowLoopback).toBe(true);
    expect(targetPolicy(rt('false'), {}).allowLoopback).toBe(false);
  });

  it('never allows loopback inside Lambda, whatever the setting', () => {
    expect(targetPolicy(rt('true'), { AWS_LAMBDA_FUNCTION_NAME: 'boomerang-webhook-sender' }).allowLoopback).toBe(
      false,
    );
  });
});
