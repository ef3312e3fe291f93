import { nightlyDeps } from '../../shared/wiring/nightly-runtime';
import { runtime } from '../../shared/wiring/runtime';
import { runStep } from '../../shared/app/nightly/run';
import { validationDetails } from '../../shared/http/request';
import { nightlyStepSchema } from '../../shared/schemas/nightly';

/**
 * One step of a nightly run, called by the state machine with
 * `{ step, shopId, jobId, asOf, segment?, totalSegments?, error? }` (docs/nightly.md). Returns
 * a small summary; bulk data goes to the export sink under `jobs/<shopId>/<jobId>/`. A thrown
 * error fails the task, and the state machine's catch calls the `fail` step.
 */
export const handler = async (input: unknown) => {
  const rt = runtime();
  const parsed = nightlyStepSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(`Invalid nightly step input: ${JSON.stringify(validationDetails(parsed.error))}`);
  const started = Date.now();
  const out = await runStep(nightlyDeps(rt), parsed.data);
  rt.logger.info('nightly step done', {
    shopId: parsed.data.shopId,
    jobId: parsed.data.jobId,
    ...out,
    ms: Date.now() - started,
  });
  return out;
};
