import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lambdaBundling } from '../../infra/constructs/boomerang-function';

/**
 * Bundles are deployed with their source map beside them and without --enable-source-maps:
 * the map is read when a stack is first printed, not at import (infra/bundling/lazy-source-maps.ts).
 */
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'boomerang-maps-'));
  writeFileSync(
    path.join(dir, 'entry.ts'),
    [
      'const fail = (why: string): never => {',
      '  throw new Error(`failed: ${why}`);',
      '};',
      'export const handler = async () => fail("on purpose");',
      '',
    ].join('\n'),
  );
  await build({
    entryPoints: [path.join(dir, 'entry.ts')],
    bundle: true,
    platform: 'node',
    target: lambdaBundling.target,
    format: lambdaBundling.format,
    minify: lambdaBundling.minify,
    sourcemap: lambdaBundling.sourcemap,
    sourcesContent: lambdaBundling.sourcesContent,
    inject: [...lambdaBundling.inject],
    outfile: path.join(dir, 'out', 'index.mjs'),
    logLevel: 'silent',
  });
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh Node, as Lambda starts one (no NODE_OPTIONS); `between` runs after the import. */
const stackOf = (between = '') => {
  const script = `const m = await import('./out/index.mjs'); ${between} try { await m.handler(); } catch (e) { process.stdout.write(e.stack); }`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return out.stdout;
};

describe('lazy source maps', () => {
  it('maps a printed stack back to the TypeScript source', () => {
    const stack = stackOf();
    expect(stack).toMatch(/^Error: failed: on purpose\n/);
    expect(stack).toMatch(/entry\.ts:2:9\)?\n/);
    expect(stack).not.toContain('index.mjs');
  });

  it('does not read the map at import: gone after the import, the stack stays minified', () => {
    const stack = stackOf("(await import('node:fs')).renameSync('./out/index.mjs.map', './out/moved.map');");
    try {
      expect(stack).toMatch(/^Error: failed: on purpose\n/);
      expect(stack).toMatch(/index\.mjs:\d+:\d+\)\n/);
    } finally {
      spawnSync('mv', [path.join(dir, 'out', 'moved.map'), path.join(dir, 'out', 'index.mjs.map')]);
    }
  });
});
