import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BoomerangFunction } from '../../infra/constructs/boomerang-function';
import { buildWidget, type BuiltWidget } from '../../infra/bundling/widget';

/**
 * widget.js reaches Lambda inside the function's own deployment package: bundling the
 * storefront-assets function for real (local esbuild, no Docker) leaves it beside index.mjs, and
 * the bundled handler serves it from there.
 */
let widget: BuiltWidget;
let assetDir: string;

beforeAll(() => {
  widget = buildWidget();
  const outdir = mkdtempSync(path.join(tmpdir(), 'boomerang-cdk-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Widget');
  new BoomerangFunction(stack, 'Assets', {
    name: 'storefront-assets',
    besideBundle: () => ({ 'widget.js': widget.code }),
  });
  app.synth();
  const dirs = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
  expect(dirs).toHaveLength(1);
  assetDir = path.join(outdir, dirs[0]!);
});

describe('widget.js in the storefront-assets bundle', () => {
  it('is written beside index.mjs, byte for byte the build', () => {
    expect(readdirSync(assetDir).sort()).toEqual(['index.mjs', 'index.mjs.map', 'widget.js']);
    expect(readFileSync(path.join(assetDir, 'widget.js'), 'utf8')).toBe(widget.code);
  });

  it('is served by the bundled handler, gzipped when asked, 304 on its ETag', async () => {
    const { handler } = (await import(path.join(assetDir, 'index.mjs'))) as {
      handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
    };
    const event = (headers: Record<string, string>) => ({
      version: '2.0',
      routeKey: 'GET /widget.js',
      rawPath: '/widget.js',
      headers,
      requestContext: { http: { method: 'GET', path: '/widget.js' } },
    });
    const res = await handler(event({ 'accept-encoding': 'gzip, br' }), {});
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({
      'content-type': 'application/javascript; charset=utf-8',
      'content-encoding': 'gzip',
      etag: `"${widget.hash}"`,
    });
    expect(gunzipSync(Buffer.from(res.body as string, 'base64')).toString('utf8')).toBe(widget.code);
    expect((await handler(event({ 'if-none-match': `"${widget.hash}"` }), {})).statusCode).toBe(304);
  });

  it('is a minified es2019 IIFE within the 25 KB gzip budget', () => {
    expect(widget.code).toMatch(/^"use strict";\(\(\)=>\{|^\(\(\)=>\{/);
    expect(widget.code).not.toMatch(/\?\.|\?\?/);
    expect(gzipSync(widget.code, { level: 9 }).length).toBeLessThan(25 * 1024);
  });
});
