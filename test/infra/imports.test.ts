import { beforeAll, describe, expect, it } from 'vitest';
import { functionNeeds, importWorkerFunction } from '../../infra/functions';
import { functionNames, routes, type FunctionName } from '../../infra/routes';
import { actionsOf, findCycle, logicalId, referencedIds, statementsOf, synthStack } from './template';

type Synth = ReturnType<typeof synthStack>;

const fnId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn);
const roleId = (s: Synth, name: FunctionName) => logicalId(s.stack, s.stack.functions[name].fn.role!);
const envOf = (s: Synth, name: FunctionName) =>
  (s.resources[fnId(s, name)]!.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;

/** Imports in AWS (docs/import.md): the imports function invokes the worker asynchronously. */
describe('imports', () => {
  let s: Synth;
  beforeAll(() => {
    s = synthStack();
  });

  it('routes every import path to the imports function and none to the worker', () => {
    const paths = routes.filter((r) => r.fn === 'imports').map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      'POST /admin/shops/{shopId}/imports',
      'GET /admin/shops/{shopId}/imports',
      'POST /admin/shops/{shopId}/imports/uploads',
      'PUT /admin/shops/{shopId}/imports/uploads/{uploadId}',
      'GET /admin/shops/{shopId}/imports/{importId}',
      'POST /admin/shops/{shopId}/imports/{importId}/resume',
    ]);
    expect(routes.some((r) => r.fn === importWorkerFunction)).toBe(false);
  });

  it('lets only the functions that start imports invoke the worker, and tells them its name', () => {
    const starters = functionNames.filter((n) => functionNeeds[n].startsImports);
    expect(starters).toEqual(['imports']);
    const workerId = fnId(s, importWorkerFunction);
    for (const name of functionNames) {
      const invokes = statementsOf(s.resources, roleId(s, name)).filter(
        (st) => actionsOf([st]).includes('lambda:InvokeFunction') && referencedIds(st.Resource).has(workerId),
      );
      expect({ name, invokes: invokes.length > 0 }).toEqual({ name, invokes: starters.includes(name) });
    }
    expect(referencedIds(envOf(s, 'imports').BOOMERANG_IMPORT_WORKER_FUNCTION)).toEqual(new Set([workerId]));
    expect(envOf(s, importWorkerFunction).BOOMERANG_IMPORT_WORKER_FUNCTION).toBeUndefined();
  });

  it('gives the worker the table, the export bucket (where files are kept) and 15 minutes, and retries it twice', () => {
    const bucketId = logicalId(s.stack, s.stack.exportBucket.bucket);
    for (const name of ['imports', importWorkerFunction] as const) {
      expect(referencedIds(envOf(s, name).BOOMERANG_EXPORT_BUCKET)).toEqual(new Set([bucketId]));
      expect(actionsOf(statementsOf(s.resources, roleId(s, name)))).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:BatchGetItem', 's3:GetObject*', 's3:PutObject']),
      );
    }
    expect(s.resources[fnId(s, importWorkerFunction)]!.Properties!.Timeout).toBe(900);
    const invokeConfig = Object.values(s.resources).filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig');
    expect(invokeConfig.map((r) => r.Properties)).toContainEqual(
      expect.objectContaining({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }),
    );
    expect(findCycle(s.resources)).toBeUndefined();
  });
});
