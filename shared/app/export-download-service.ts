import { err, ok, type DomainResult } from '../domain/result';
import type { Clock } from './ports/clock';
import type { ExportSink } from './ports/nightly';

/** What a download token grants (the export's object key), or why it grants nothing. */
export type DownloadTokenCheck =
  { ok: true; key: string; exp: number } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

export interface ExportDownloadDeps {
  /** Checks a token's signature and expiry; undefined when links cannot be signed here (no operator key). */
  verifyToken(token: string, nowSeconds: number): Promise<DownloadTokenCheck | undefined>;
  sink: Pick<ExportSink, 'get'>;
  /** The file's content type and file name, from its key. */
  describe(key: string): { contentType: string; fileName: string };
  clock: Clock;
}

export type ExportDownloadError = { kind: 'unavailable' | 'expired' | 'invalid_token' | 'not_export' | 'not_found' };

export interface ExportFile {
  body: string;
  contentType: string;
  /** `<shop>-<asOf>-<file>`: what the browser saves it as. */
  fileName: string;
}

/** A token only ever opens a customer export, whatever key someone managed to get signed. */
const exportKey = /^exports\/[^/]+\/\d{4}-\d{2}-\d{2}\/customers\.(csv|json)$/;

/** The local export download (`GET /exports/download`): the token is the credential. */
export const downloadExport = async (
  deps: ExportDownloadDeps,
  token: string,
): Promise<DomainResult<ExportFile, ExportDownloadError>> => {
  const check = await deps.verifyToken(token, Math.floor(deps.clock.now().getTime() / 1000));
  if (!check) return err({ kind: 'unavailable' });
  if (!check.ok) return err({ kind: check.reason === 'expired' ? 'expired' : 'invalid_token' });
  if (!exportKey.test(check.key)) return err({ kind: 'not_export' });
  const body = await deps.sink.get(check.key);
  if (body === undefined) return err({ kind: 'not_found' });
  const [, shopId, asOf] = check.key.split('/');
  const { contentType, fileName } = deps.describe(check.key);
  return ok({ body, contentType, fileName: `${shopId}-${asOf}-${fileName}` });
};
