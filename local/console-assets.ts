import { buildConsole } from '../infra/bundling/console';
import { consoleAssetHandler, type ConsoleFiles } from '../functions/console-assets/console-asset';

/**
 * The console-assets function for `npm start` and the tests: there is no bundle to read the
 * console from, so it is built from web/console/ on request (a few hundred ms), which also serves
 * an edit without a restart. A build is reused for a second so one page load (the shell, then
 * its script and stylesheet) sees one build.
 */
let last: { at: number; files: ConsoleFiles } | undefined;

export const handler = consoleAssetHandler(async () => {
  if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), files: buildConsole() };
  return last.files;
});
