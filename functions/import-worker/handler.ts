import { runImport } from '../../shared/app/import-service';
import { importView } from '../../shared/domain/imports/job';
import { importRunSchema } from '../../shared/schemas/imports';
import { importDeps } from '../../shared/wiring/import-runtime';
import { runtime } from '../../shared/wiring/runtime';

/**
 * One run of an import (`{ shopId, importId }`), invoked asynchronously by the imports function.
 * Lambda retries a failed async invocation twice: a retry finds the job failed or its lease held
 * and either resumes from the checkpoint or leaves it, so nothing is applied twice.
 */
export const handler = async (input: unknown) => {
  const rt = runtime();
  const run = importRunSchema.parse(input);
  const job = await runImport(importDeps(rt), run);
  const view = job && importView(job);
  rt.logger.info('import run ended', { ...run, status: view?.status ?? 'not_claimed', imported: view?.imported });
  return view ?? { ...run, status: 'not_claimed' };
};
