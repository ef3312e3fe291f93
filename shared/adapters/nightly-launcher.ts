import { createHash, randomBytes } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { NightlyLauncher } from '../app/nightly/ports';

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

export const stepFunctionsLauncher = (client: SFNClient, stateMachineArn: string): NightlyLauncher => ({
  async start(input) {
    await client.send(new StartExecutionCommand({ stateMachineArn, name: executionName(input.shopId, input.jobId), input: JSON.stringify(input) }));
  },
});

export const createStepFunctionsLauncher = (stateMachineArn: string): NightlyLauncher => stepFunctionsLauncher(new SFNClient({}), stateMachineArn);
