import path from 'node:path';
import { buildSync } from 'esbuild';

/**
 * The console (web/console/) as the files `GET /console` and `GET /console/assets/{file}` serve:
 * one minified ES module and one stylesheet, each named by esbuild's content hash, and the HTML
 * shell that loads them (no inline script, so the page's CSP can say `script-src 'self'`).
 * Synchronous, so the CDK stack can call it while bundling; it takes a few hundred milliseconds.
 */
const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const consoleEntry = path.join(repoRoot, 'web', 'console', 'main.tsx');
export const consoleAssetsPath = '/console/assets/';

export interface ConsoleAsset {
  /** The file name under /console/assets/, e.g. `console-4WQ2XK7T.js`. */
  name: string;
  contentType: string;
  body: string;
}

export interface BuiltConsole {
  html: string;
  assets: ConsoleAsset[];
}

const contentTypes: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export const consoleShell = (script: string, stylesheet: string | undefined): string =>
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin"><meta name="color-scheme" content="light">
<title>Boomerang console</title>
${stylesheet ? `<link rel="stylesheet" href="${consoleAssetsPath}${stylesheet}">\n` : ''}<script type="module" src="${consoleAssetsPath}${script}"></script>
</head><body><div id="app"><noscript>The Boomerang console needs JavaScript.</noscript></div></body></html>
`;

export const buildConsole = (): BuiltConsole => {
  const out = buildSync({
    entryPoints: { console: consoleEntry },
    absWorkingDir: repoRoot,
    outdir: path.join(repoRoot, '.console-out'),
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    // Module scripts: every browser that runs them has BigInt (the earning preview uses it).
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    charset: 'utf8',
    legalComments: 'none',
    loader: { '.css': 'css' },
    tsconfig: path.join(repoRoot, 'web', 'console', 'tsconfig.json'),
    write: false,
    logLevel: 'silent',
  });
  const assets = out.outputFiles.map((f) => ({
    name: path.basename(f.path),
    contentType: contentTypes[path.extname(f.path)] ?? 'application/octet-stream',
    body: f.text,
  }));
  const script = assets.find((a) => a.name.endsWith('.js'));
  if (!script) throw new Error('esbuild produced no console script');
  const stylesheet = assets.find((a) => a.name.endsWith('.css'));
  return { html: consoleShell(script.name, stylesheet?.name), assets };
};
