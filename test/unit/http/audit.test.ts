import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../shared/adapters/clock';
import { createLogger } from '../../../shared/adapters/logger';
import type { Table } from '../../../shared/adapters/table';
import { audit } from '../../../shared/http/audit';
import type { Runtime } from '../../../shared/wiring/current-runtime';

const runtimeWith = (put: Table['put']) => {
  const errors: { message: string; data?: Record<string, unknown> }[] = [];
  const puts: Record<string, unknown>[] = [];
  const rt = {
    tableName: 't',
    clock: fixedClock('2026-12-01T10:00:00.000Z'),
    logger: {
      ...createLogger('silent'),
      error: (message: string, data?: Record<string, unknown>) => errors.push({ message, data }),
    },
    table: {
      put: async (input: Parameters<Table['put']>[0]) => {
        puts.push(input.Item as Record<string, unknown>);
        return put(input);
      },
    },
  } as unknown as Runtime;
  return { rt, errors, puts };
};

describe('audit()', () => {
  it('writes the entry with the actor of the principal and a TTL', async () => {
    const { rt, puts, errors } = runtimeWith(async () => ({}));
    await audit(
      rt,
      { kind: 'user', shopId: 's', userId: 'u1', email: 'ann@example.com', role: 'owner' },
      { id: 's' },
      {
        action: 'points.adjusted',
        target: 'ann@example.com',
        summary: 'Adjusted points of ann@example.com by +50: goodwill',
      },
    );
    expect(errors).toEqual([]);
    expect(puts[0]).toMatchObject({
      pk: 'SHOP#s#AUDIT',
      gsi1pk: 'SHOP#s#AUDIT#points.adjusted',
      at: '2026-12-01T10:00:00.000Z',
      actor: { kind: 'user', label: 'user:ann@example.com', email: 'ann@example.com', role: 'owner' },
      expiresAt: Date.parse('2026-12-01T10:00:00.000Z') / 1000 + 400 * 86_400,
    });
  });

  it('logs a failed write instead of failing the change it records', async () => {
    const { rt, errors } = runtimeWith(async () => {
      throw new Error('throttled');
    });
    await expect(
      audit(rt, { kind: 'operator' }, { id: 's' }, { action: 'api_key.rotated', summary: 'Rotated the API key' }),
    ).resolves.toBeUndefined();
    expect(errors).toEqual([
      {
        message: 'audit entry not written',
        data: { shopId: 's', action: 'api_key.rotated', error: 'Error: throttled' },
      },
    ]);
  });
});
