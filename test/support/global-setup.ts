import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startSesLocal, type RunningService } from '../../local/services';

/**
 * Global setup of the `integration` project: one in-memory DynamoDB Local and one SES local
 * for the whole run, on free ports. Test files reach them through `inject(...)` (see
 * test/support/stack.ts); each file isolates itself with its own table name.
 *
 * If AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SESV2 are already set (e.g. a running
 * `npm start`, or a CI service container), those are used and nothing is started.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningService[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  try {
    // allSettled, not all: if one fails, the other must have finished starting before we stop it.
    const [dynamoR, sesR] = await Promise.allSettled([
      process.env.AWS_ENDPOINT_URL_DYNAMODB ? undefined : startDynamoLocal(),
      process.env.AWS_ENDPOINT_URL_SESV2 ? undefined : startSesLocal(),
    ]);
    for (const r of [dynamoR, sesR]) if (r.status === 'fulfilled' && r.value) started.push(r.value);
    for (const r of [dynamoR, sesR]) if (r.status === 'rejected') throw r.reason;
    const dynamo = dynamoR.status === 'fulfilled' ? dynamoR.value : undefined;
    const ses = sesR.status === 'fulfilled' ? sesR.value : undefined;
    project.provide('dynamoEndpoint', process.env.AWS_ENDPOINT_URL_DYNAMODB ?? dynamo!.endpoint);
    project.provide('sesEndpoint', process.env.AWS_ENDPOINT_URL_SESV2 ?? ses!.endpoint);
  } catch (e) {
    // One service may have started before the other failed: never leave a JVM behind.
    await stopAll();
    throw e;
  }
  return stopAll;
}
