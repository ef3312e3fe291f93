import { createHash, randomBytes } from 'node:crypto';
import { awsJsonCall, awsService, jsonError, type AwsService } from './aws-http';
import type { NightlyLauncher } from '../app/ports/nightly';

/**
 * Starts the nightly state machine with `{ shopId, jobId, asOf, totalSegments }`. Duplicate
 * starts are prevented before this by the job record (created conditionally); the execution
 * name only has to be unique and readable: job id, a hash of the shop id, and a nonce (a
 * failed scheduled night is restarted under the same job id).
 */
export const executionName = (shopId: string, jobId: string): string => {
  const shopHash = createHash('sha256').update(shopId).digest('hex').slice(0, 12);
  // At most 80 characters of [A-Za-z0-9_-].
  return `${jobId.replace(/[^\w-]/g, '_').slice(0, 50)}-${shopHash}-${randomBytes(4).toString('hex')}`;
};

/** Step Functions' StartExecution (JSON protocol, through aws-http.ts). */
export const stepFunctions = (): AwsService =>
  awsService({
    service: 'states',
    endpointId: 'SFN',
    host: (region) => `states.${region}.amazonaws.com`,
    error: jsonError,
  });

export const stepFunctionsLauncher = (service: AwsService, stateMachineArn: string): NightlyLauncher => {
  const call = awsJsonCall(service, 'AWSStepFunctions', '1.0');
  return {
    async start(input) {
      await call('StartExecution', {
        stateMachineArn,
        name: executionName(input.shopId, input.jobId),
        input: JSON.stringify(input),
      });
    },
  };
};

export const createStepFunctionsLauncher = (stateMachineArn: string): NightlyLauncher =>
  stepFunctionsLauncher(stepFunctions(), stateMachineArn);
