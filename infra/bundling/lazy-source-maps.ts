import type { SourceMap } from 'node:module';

/**
 * Stack traces mapped back to the TypeScript sources, paid for only when a stack is printed.
 *
 * Injected at the top of every Lambda bundle (infra/constructs/boomerang-function.ts). The
 * source map ships beside the bundle (`index.mjs.map`, mappings only), but Node is not run with
 * --enable-source-maps, which would read and parse it at every cold start. Instead the first
 * time an error's stack is formatted — an error being logged, or the Lambda runtime reporting
 * one — this reads the map once and rewrites the bundle's frames to `shared/…/file.ts:line:col`.
 * A container that never prints a stack never reads the map, nor even imports node:fs for it.
 */
const bundleUrl = import.meta.url;
/** undefined: not read yet; null: there is none (or it is unreadable). */
let map: SourceMap | null | undefined;

const loadMap = (): SourceMap | null => {
  if (map === undefined) {
    try {
      const { readFileSync } = process.getBuiltinModule('node:fs');
      const { fileURLToPath } = process.getBuiltinModule('node:url');
      const { SourceMap: Map } = process.getBuiltinModule('node:module');
      map = new Map(JSON.parse(readFileSync(`${fileURLToPath(bundleUrl)}.map`, 'utf8')));
    } catch {
      map = null;
    }
  }
  return map;
};

/** `../../work/main/shared/http/handler.ts` → `shared/http/handler.ts`. */
const shortSource = (source: string): string =>
  /(?:^|\/)((?:functions|shared|infra|local|node_modules)\/.*)$/.exec(source)?.[1] ?? source;

export const mapFrame = (frame: NodeJS.CallSite): string => {
  const text = frame.toString();
  const line = frame.getLineNumber();
  const column = frame.getColumnNumber();
  if (frame.getFileName() !== bundleUrl || line === null || column === null) return text;
  const sourceMap = loadMap();
  const entry = sourceMap?.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry)) return text;
  const original = `${shortSource(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  return text.replace(`${bundleUrl}:${line}:${column}`, original);
};

const header = (error: Error): string => {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
};

/**
 * Runs first in the bundle, so nothing else has set a formatter (Node's own default one is
 * replaced); with Node's --enable-source-maps on, Node maps the stacks itself.
 */
export const installLazySourceMaps = (): void => {
  if (process.sourceMapsEnabled) return;
  Error.prepareStackTrace = (error, frames) =>
    `${header(error)}${frames.map((frame) => `\n    at ${mapFrame(frame)}`).join('')}`;
};

installLazySourceMaps();
