import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BoomerangFunction } from '../../infra/constructs/boomerang-function';
import { ConsoleDistribution } from '../../infra/constructs/console-distribution';
import { BoomerangHttpApi } from '../../infra/constructs/http-api';
import { OperatorAlarms } from '../../infra/constructs/operator-alarms';
import { buildConsole, type BuiltConsole } from '../../infra/bundling/console';
import { functionNeeds } from '../../infra/functions';
import { functionNames, routes } from '../../infra/routes';
import { logicalId, synthStack } from './template';

/**
 * The console: its size budget, the files in the console-assets bundle (bundled for real, served
 * by the bundled handler), and the CloudFront distribution that puts it and the API on one origin.
 */
const gzipBudgetBytes = 250 * 1024;

let built: BuiltConsole;
beforeAll(() => {
  built = buildConsole();
});

describe('the console build', () => {
  it(`stays under ${gzipBudgetBytes / 1024} KB of JavaScript gzipped`, () => {
    const sizes = built.assets.map((a) => ({
      name: a.name,
      bytes: Buffer.byteLength(a.body),
      gzip: gzipSync(a.body, { level: 9 }).length,
    }));
    for (const s of sizes) console.warn(`console asset ${s.name}: ${s.bytes} bytes, ${s.gzip} bytes gzipped`);
    const js = sizes.filter((s) => s.name.endsWith('.js')).reduce((a, s) => a + s.gzip, 0);
    console.warn(`console JavaScript total: ${js} bytes gzipped (budget ${gzipBudgetBytes})`);
    expect(js).toBeGreaterThan(10_000);
    expect(js).toBeLessThan(gzipBudgetBytes);
  });

  it('is one hashed script and one hashed stylesheet, loaded by a shell with no inline script or third-party URL', () => {
    expect(built.assets.map((a) => a.name.replace(/-[A-Z0-9]{8}\./, '-HASH.')).sort()).toEqual([
      'console-HASH.css',
      'console-HASH.js',
    ]);
    expect(built.html).toContain(`src="/console/assets/${built.assets.find((a) => a.name.endsWith('.js'))!.name}"`);
    expect(built.html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(built.html).not.toMatch(/\bstyle=/);
    // Identifiers never fetched: XML namespaces (Preact), JSON Schema `$schema` ids and an IPv6 URL template (zod).
    const identifiers = /^https?:\/\/(www\.w3\.org\/|json-schema\.org\/draft|\[\$\{)/;
    const urls = [built.html, ...built.assets.map((a) => a.body)].flatMap(
      (text) => text.match(/https?:\/\/[^"'`\s)]+/g) ?? [],
    );
    expect(urls.filter((u) => !identifiers.test(u))).toEqual([]);
  });

  it('is deterministic, so an unchanged console keeps its cached file names', () => {
    expect(buildConsole().assets.map((a) => a.name)).toEqual(built.assets.map((a) => a.name));
  });
});

describe('console-assets', () => {
  it('serves GET /console and GET /console/assets/{file} and nothing else, touching no table or secret', () => {
    expect(routes.filter((r) => r.fn === 'console-assets').map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /console',
      'GET /console/assets/{file}',
    ]);
    expect(functionNeeds['console-assets']).toMatchObject({ table: 'none', operatorKey: false, console: true });
    expect(functionNames.filter((n) => functionNeeds[n].console)).toEqual(['console-assets']);
  });

  it('ships console.json beside index.mjs; the bundled handler serves the shell (CSP, no-cache) and the assets', async () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'boomerang-cdk-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Console');
    new BoomerangFunction(stack, 'Assets', {
      name: 'console-assets',
      besideBundle: () => ({ 'console.json': JSON.stringify(built) }),
    });
    app.synth();
    const dirs = readdirSync(outdir).filter((d) => d.startsWith('asset.'));
    expect(dirs).toHaveLength(1);
    const dir = path.join(outdir, dirs[0]!);
    expect(readdirSync(dir).sort()).toEqual(['console.json', 'index.mjs', 'index.mjs.map']);
    expect(JSON.parse(readFileSync(path.join(dir, 'console.json'), 'utf8'))).toEqual(built);

    const { handler } = (await import(path.join(dir, 'index.mjs'))) as {
      handler: (event: unknown, context: unknown) => Promise<Record<string, unknown>>;
    };
    const event = (routeKey: string, rawPath: string, headers: Record<string, string> = {}, file?: string) => ({
      version: '2.0',
      routeKey,
      rawPath,
      headers,
      ...(file ? { pathParameters: { file } } : {}),
      requestContext: { http: { method: 'GET', path: rawPath } },
    });
    const shell = await handler(event('GET /console', '/console'), {});
    expect(shell.statusCode).toBe(200);
    expect(shell.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': expect.stringContaining("default-src 'self'; script-src 'self'"),
    });
    expect(shell.body).toBe(built.html);
    const js = built.assets.find((a) => a.name.endsWith('.js'))!;
    const asset = await handler(
      event('GET /console/assets/{file}', `/console/assets/${js.name}`, { 'accept-encoding': 'gzip' }, js.name),
      {},
    );
    expect(asset.statusCode).toBe(200);
    expect(asset.headers).toMatchObject({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      'content-encoding': 'gzip',
    });
    expect(gunzipSync(Buffer.from(asset.body as string, 'base64')).toString('utf8')).toBe(js.body);
    const etag = (asset.headers as Record<string, string>).etag!;
    const again = await handler(
      event('GET /console/assets/{file}', `/console/assets/${js.name}`, { 'if-none-match': etag }, js.name),
      {},
    );
    expect(again.statusCode).toBe(304);
    const gone = await handler(event('GET /console/assets/{file}', '/console/assets/old.js', {}, 'old.js'), {});
    expect(gone.statusCode).toBe(404);
  }, 60_000);
});

describe('ConsoleDistribution', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(new App(), 'Dist', { env: { region: 'eu-west-1', account: '111111111111' } });
    const api = new BoomerangHttpApi(stack, 'Http', { alarms: new OperatorAlarms(stack, 'Alarms') });
    new ConsoleDistribution(stack, 'Console', { api });
    template = Template.fromStack(stack);
  });

  it('sends everything to the HTTP API over HTTPS, uncached, with every method, cookie, query string and header but Host', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', Match.anyValue()] }] },
            CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          }),
        ],
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          ViewerProtocolPolicy: 'redirect-to-https',
          // Managed policies: CachingDisabled, AllViewerExceptHostHeader (cookies, query strings,
          // authorization, x-csrf-token, content-type, idempotency-key…).
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
          OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
        }),
      }),
    });
  });

  it('caches only /console/assets/*, for a year, keyed by nothing but the path and encoding', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/console/assets/*',
            AllowedMethods: ['GET', 'HEAD'],
            Compress: true,
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 31_536_000,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          CookiesConfig: { CookieBehavior: 'none' },
          HeadersConfig: { HeaderBehavior: 'none' },
          QueryStringsConfig: { QueryStringBehavior: 'none' },
          EnableAcceptEncodingGzip: true,
        }),
      }),
    });
  });
});

describe('BoomerangStack', () => {
  it('routes /console to console-assets, puts CloudFront in front of its HTTP API and outputs ConsoleUrl', () => {
    const { stack, template, resources } = synthStack();
    const fnId = logicalId(stack, stack.functions['console-assets'].fn);
    for (const routeKey of ['GET /console', 'GET /console/assets/{file}']) {
      const route = Object.values(resources).find(
        (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties!.RouteKey === routeKey,
      );
      expect(route, routeKey).toBeDefined();
      const target = route!.Properties!.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = resources[target['Fn::Join'][1][1].Ref]!;
      expect((integration.Properties!.IntegrationUri as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]).toBe(fnId);
    }
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const apiId = logicalId(stack, stack.httpApi.api);
    const origin = JSON.stringify(
      (
        resources[logicalId(stack, stack.consoleDistribution.distribution)]!.Properties!.DistributionConfig as {
          Origins: unknown[];
        }
      ).Origins[0],
    );
    // The origin is the HTTP API's own host (taken apart from its endpoint URL).
    expect(origin).toContain(apiId);
    expect(template.findOutputs('ConsoleUrl')).toEqual({
      ConsoleUrl: {
        Value: {
          'Fn::Join': [
            '',
            [
              'https://',
              { 'Fn::GetAtt': [logicalId(stack, stack.consoleDistribution.distribution), 'DomainName'] },
              '/console',
            ],
          ],
        },
      },
    });
  });

  it('points sign-in and invitation links at the console origin, where the cookie lives; other links at the API', () => {
    const { stack, resources } = synthStack();
    const distributionId = logicalId(stack, stack.consoleDistribution.distribution);
    const baseUrlOf = (name: 'console-auth' | 'users' | 'customers') =>
      (
        resources[logicalId(stack, stack.functions[name].fn)]!.Properties!.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables.BOOMERANG_PUBLIC_BASE_URL;
    const consoleOrigin = { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]] };
    expect(baseUrlOf('console-auth')).toEqual(consoleOrigin);
    expect(baseUrlOf('users')).toEqual(consoleOrigin);
    expect(JSON.stringify(baseUrlOf('customers'))).not.toContain(distributionId);
  });
});
