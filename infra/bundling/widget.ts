import path from 'node:path';
import { buildSync } from 'esbuild';
import { contentHash } from '../../functions/storefront-assets/content-hash';

/**
 * The storefront widget (web/widget/) as the one script shops embed: a minified IIFE for
 * browsers of the last few years (es2019: no `?.`/`??` left in the output). Synchronous, so the
 * CDK stack can call it while bundling; it takes some tens of milliseconds.
 */
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const widgetEntry = path.join(repoRoot, 'web', 'widget', 'main.ts');

export interface BuiltWidget {
  code: string;
  hash: string;
}

export const buildWidget = (): BuiltWidget => {
  const out = buildSync({
    entryPoints: [widgetEntry],
    absWorkingDir: repoRoot,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2019',
    charset: 'utf8',
    legalComments: 'none',
    tsconfig: path.join(repoRoot, 'web', 'tsconfig.json'),
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  return { code, hash: contentHash(code) };
};
