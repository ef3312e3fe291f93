import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoomerangFunction, repoRoot } from '../../infra/constructs/boomerang-function';
import { functionNames, handlerEntry } from '../../infra/routes';

const synth = (build: (stack: Stack) => void) => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  build(stack);
  return Template.fromStack(stack);
};

describe('BoomerangFunction', () => {
  it('merges the caller environment over the common one', () => {
    const template = synth(
      (stack) =>
        new BoomerangFunction(stack, 'Fn', {
          name: 'health',
          environment: { BOOMERANG_TABLE_NAME: 't', LOG_LEVEL: 'debug' },
        }),
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      // No NODE_OPTIONS=--enable-source-maps: stacks are mapped lazily (infra/bundling/lazy-source-maps.ts).
      Environment: { Variables: Match.exact({ LOG_LEVEL: 'debug', BOOMERANG_TABLE_NAME: 't' }) },
    });
  });

  it('defaults to 10 s, 512 MB, no tracing; honours overrides', () => {
    const template = synth((stack) => {
      new BoomerangFunction(stack, 'Default', { name: 'health' });
      new BoomerangFunction(stack, 'Custom', {
        name: 'shops',
        timeout: Duration.minutes(5),
        memorySize: 1024,
        tracing: true,
      });
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 10,
      MemorySize: 512,
      TracingConfig: Match.absent(),
      Description: 'Boomerang health',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 300,
      MemorySize: 1024,
      TracingConfig: { Mode: 'Active' },
      Description: 'Boomerang shops',
    });
  });

  it('owns a log group that keeps a month and goes with the stack', () => {
    const template = synth((stack) => new BoomerangFunction(stack, 'Fn', { name: 'health' }));
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 30 },
      DeletionPolicy: 'Delete',
    });
  });

  it.each(functionNames)('%s: handler entry exists under the repo root', (name) => {
    expect(existsSync(path.join(repoRoot, 'package-lock.json'))).toBe(true);
    expect(existsSync(path.join(repoRoot, handlerEntry(name)))).toBe(true);
  });
});
