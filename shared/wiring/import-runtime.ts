import type { ImportLauncher } from '../app/ports/imports';
import { importRuns } from '../app/import-background';
import type { ImportDeps } from '../app/import-service';
import { s3Bucket } from '../adapters/export-sink';
import { sinkImportFiles } from '../adapters/import-files';
import { lambdaImportLauncher, lambdaService } from '../adapters/import-launcher';
import { dynamoImportStore } from '../adapters/import-store';
import { exportSinkFor } from './nightly-runtime';
import { ledgerDeps, type Runtime } from './runtime';
import { publicBaseUrl } from './current-runtime';

/** The import use cases' adapters, built from the process runtime (only the import functions bundle them). */
export const importDeps = (rt: Runtime, options: { baseUrl?: string } = {}): ImportDeps => {
  const bucket = rt.env.BOOMERANG_EXPORT_BUCKET;
  const baseUrl = publicBaseUrl(rt, options.baseUrl);
  const { clock, newId, random, randomInt, sleep } = ledgerDeps(rt);
  return {
    imports: dynamoImportStore(rt.table, rt.tableName),
    ledger: rt.ledger,
    files: sinkImportFiles(exportSinkFor(rt, baseUrl), bucket ? { bucket: s3Bucket(bucket) } : { baseUrl }),
    shops: rt.shops,
    clock,
    newId,
    random,
    randomInt,
    sleep,
    logger: rt.logger,
  };
};

/** Runs started in this process without a worker function (one set per process). */
export const importBackground = importRuns();

let lambda: { name: string; launcher: ImportLauncher } | undefined;

/** The worker function when BOOMERANG_IMPORT_WORKER_FUNCTION is set; else a background run here with `deps`. */
export const importLauncher = (rt: Runtime, deps: ImportDeps): ImportLauncher => {
  const name = rt.env.BOOMERANG_IMPORT_WORKER_FUNCTION;
  if (!name) return importBackground.launcher(deps);
  if (lambda?.name !== name) lambda = { name, launcher: lambdaImportLauncher(lambdaService(), name) };
  return lambda.launcher;
};
