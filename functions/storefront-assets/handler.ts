import { readFile } from 'node:fs/promises';
import { widgetAssetHandler } from './widget-asset';

/**
 * `GET /widget.js` and `GET /widget/{hash}.js`. The stack builds the widget while bundling this
 * function and writes it beside index.mjs (infra/constructs/boomerang-function.ts, `besideBundle`),
 * so the code is read once per container, from the deployment package, never fetched.
 */
let code: Promise<string> | undefined;

export const handler = widgetAssetHandler(
  () =>
    (code ??= readFile(new URL('./widget.js', import.meta.url), 'utf8').catch((e: unknown) => {
      code = undefined;
      throw e;
    })),
);
