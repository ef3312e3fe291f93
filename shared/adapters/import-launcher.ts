import type { ImportLauncher } from '../app/ports/imports';
import { awsService, jsonError, type AwsService } from './aws-http';

/** Lambda's Invoke with `InvocationType: Event` (REST, through aws-http.ts): the worker runs on its own. */
export const lambdaService = (): AwsService =>
  awsService({
    service: 'lambda',
    endpointId: 'LAMBDA',
    host: (region) => `lambda.${region}.amazonaws.com`,
    error: jsonError,
  });

export const lambdaImportLauncher = (service: AwsService, functionName: string): ImportLauncher => ({
  async start(run) {
    await service.send({
      method: 'POST',
      path: `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`,
      headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'Event' },
      body: JSON.stringify(run),
    });
  },
});
