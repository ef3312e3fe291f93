import { resolve } from 'node:path';
import type { ExportSink, NightlyDeps, NightlyLauncher } from '../app/ports/nightly';
import { downloadSecretFrom, verifyDownloadToken } from '../adapters/download-token';
import { contentTypeOf, exportFileName, fileExportSink, s3Bucket, s3ExportSink } from '../adapters/export-sink';
import { newId } from '../adapters/ids';
import { mailerFor } from '../adapters/mailer';
import { createStepFunctionsLauncher } from '../adapters/nightly-launcher';
import { operatorKey } from '../adapters/operator-key';
import { ledgerDeps, type Runtime } from './runtime';
import { publicBaseUrl } from './current-runtime';
import { startWinback } from '../app/winback-service';
import { recheckTier } from '../app/ledger-service';
import type { ExportDownloadDeps } from '../app/export-download-service';
import { summaryReader } from './summary-runtime';
import { dynamoMetricsStore } from '../adapters/metrics-store';
import { backgroundRuns, type BackgroundRuns } from '../app/nightly/background';

/**
 * The nightly job's adapters, built from the process runtime. Kept out of runtime.ts so only
 * the functions that use them bundle them (S3, Step Functions, SES).
 */
let s3: { bucket: string; sink: ReturnType<typeof s3Bucket> } | undefined;
let launcher: { arn: string; launcher: NightlyLauncher } | undefined;

/** The key that signs local download links; derived from the operator key. */
export const downloadSecret = async (rt: Runtime): Promise<Buffer> => {
  const key = await operatorKey(rt);
  if (!key) throw new Error('No operator key is configured, so download links cannot be signed');
  return downloadSecretFrom(key);
};

/**
 * S3 when BOOMERANG_EXPORT_BUCKET is set, else files under `${BOOMERANG_DATA_DIR}/exports`
 * downloaded through this API (`baseUrl`: the request's own, else BOOMERANG_PUBLIC_BASE_URL).
 */
export const exportSinkFor = (rt: Runtime, baseUrl?: string): ExportSink => {
  const bucket = rt.env.BOOMERANG_EXPORT_BUCKET;
  if (bucket) {
    if (s3?.bucket !== bucket) s3 = { bucket, sink: s3Bucket(bucket) };
    return s3ExportSink(s3.sink, rt.clock);
  }
  return fileExportSink({
    root: resolve(rt.env.BOOMERANG_DATA_DIR, 'exports'),
    baseUrl: publicBaseUrl(rt, baseUrl),
    secret: () => downloadSecret(rt),
    clock: rt.clock,
  });
};

export const nightlyDeps = (rt: Runtime, options: { baseUrl?: string } = {}): NightlyDeps => ({
  store: rt.nightly,
  sink: exportSinkFor(rt, options.baseUrl),
  mailer: mailerFor(rt),
  shops: rt.shops,
  clock: rt.clock,
  logger: rt.logger,
  newId,
  winback: { start: (shop, cid, riskSince) => startWinback(ledgerDeps(rt), shop, cid, riskSince) },
  tiers: { recheck: (shop, cid) => recheckTier(ledgerDeps(rt), shop, cid) },
  summaries: summaryReader(rt),
  metrics: dynamoMetricsStore(rt.table, rt.tableName),
});

/** Runs started in this process without a state machine (one set per process). */
export const nightlyBackground: BackgroundRuns = backgroundRuns();

/**
 * The state machine when BOOMERANG_NIGHTLY_STATE_MACHINE_ARN is set; else a run in the
 * background of this process with `deps` (local, tests). Either way the caller does not wait.
 */
export const nightlyLauncher = (rt: Runtime, deps: NightlyDeps): NightlyLauncher => {
  const arn = rt.env.BOOMERANG_NIGHTLY_STATE_MACHINE_ARN;
  if (!arn) return nightlyBackground.launcher(deps);
  if (launcher?.arn !== arn) launcher = { arn, launcher: createStepFunctionsLauncher(arn) };
  return launcher.launcher;
};

/** The local export download's deps: the token checked against the operator-derived secret, files from the sink. */
export const exportDownloadDeps = (rt: Runtime): ExportDownloadDeps => ({
  async verifyToken(token, nowSeconds) {
    let secret: Buffer;
    try {
      secret = await downloadSecret(rt);
    } catch {
      return undefined;
    }
    return verifyDownloadToken(secret, token, nowSeconds);
  },
  sink: exportSinkFor(rt),
  describe: (key) => ({ contentType: contentTypeOf(key), fileName: exportFileName(key) }),
  clock: rt.clock,
});
