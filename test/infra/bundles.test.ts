import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { budgetFor } from '../../infra/bundle-budgets';
import { lambdaBundling, repoRoot } from '../../infra/constructs/boomerang-function';
import { functionNames, handlerEntry } from '../../infra/routes';

/**
 * Every function's bundle, built as the stack builds it (lambdaBundling), held to its size
 * budget. Sizes are deterministic; import times are not, so those are only measured by
 * `npm run bench:cold-start`, never asserted.
 */
interface Bundle {
  bytes: number;
  mapBytes: number;
  code: string;
  inputs: string[];
}

const bundles = new Map<string, Bundle>();

beforeAll(async () => {
  await Promise.all(
    functionNames.map(async (name) => {
      const out = await build({
        entryPoints: [path.join(repoRoot, handlerEntry(name))],
        absWorkingDir: repoRoot,
        bundle: true,
        platform: 'node',
        target: lambdaBundling.target,
        format: lambdaBundling.format,
        minify: lambdaBundling.minify,
        mainFields: [...lambdaBundling.mainFields],
        sourcemap: lambdaBundling.sourcemap,
        sourcesContent: lambdaBundling.sourcesContent,
        inject: [...lambdaBundling.inject],
        outfile: path.join(repoRoot, 'cdk.out', 'bundle-test', name, 'index.mjs'),
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const js = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
      const map = out.outputFiles.find((f) => f.path.endsWith('.map'))!;
      // What ended up in the output (the metafile's inputs also list modules tree-shaken away).
      const output = Object.values((out.metafile as Metafile).outputs).find((o) => o.entryPoint)!;
      const inputs = Object.entries(output.inputs)
        .filter(([, i]) => i.bytesInOutput > 0)
        .map(([file]) => file);
      bundles.set(name, { bytes: js.contents.length, mapBytes: map.contents.length, code: js.text, inputs });
    }),
  );
}, 60_000);

describe('function bundles', () => {
  it.each(functionNames)('%s stays within its size budget', (name) => {
    const { bytes } = bundles.get(name)!;
    expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(budgetFor(name).bytes);
  });

  it.each(functionNames)('%s carries no AWS SDK client and nothing that calls require', (name) => {
    const { inputs, code } = bundles.get(name)!;
    expect(
      inputs.filter((i) => /node_modules\/@aws-sdk\/(client-|lib-|credential-provider|s3-request-presigner)/.test(i)),
    ).toEqual([]);
    expect(code).not.toMatch(/Dynamic require of|__require\(/);
  });

  it('keeps its source map beside it, mappings only, and the pointer to it', () => {
    for (const [name, { code, mapBytes }] of bundles) {
      expect(code, name).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(mapBytes, name).toBeGreaterThan(0);
    }
  });

  it('keeps zod out of the smallest functions', () => {
    for (const name of ['health', 'referral-redirect']) {
      expect(
        bundles.get(name)!.inputs.filter((i) => i.includes('node_modules/zod/')),
        name,
      ).toEqual([]);
    }
  });
});
