import { readFile } from 'node:fs/promises';
import { consoleAssetHandler, type ConsoleFiles } from './console-asset';

/**
 * `GET /console` and `GET /console/assets/{file}`. The stack builds the console while bundling
 * this function and writes it beside index.mjs as console.json (infra/stack.ts, `besideBundle`),
 * so the files are read once per container, from the deployment package.
 */
let files: Promise<ConsoleFiles> | undefined;

export const handler = consoleAssetHandler(
  () =>
    (files ??= readFile(new URL('./console.json', import.meta.url), 'utf8')
      .then((text) => JSON.parse(text) as ConsoleFiles)
      .catch((e: unknown) => {
        files = undefined;
        throw e;
      })),
);
