import type { FunctionNeeds } from '../functions';

/**
 * The AWS SDK packages each grant of infra/functions.ts uses. A function's bundle carries only
 * the clients of what it is granted: the others are aliased to ungranted-aws-clients.ts, so a
 * client reachable through shared code but never used by the function in AWS costs it nothing
 * at cold start. (DynamoDB is not listed: every function but health uses the table, and health
 * imports nothing of it.)
 */
const clientsOf: { [K in 'operatorKey' | 'ses' | 'exports' | 'startsNightly' | 'outboxSender']: readonly string[] } = {
  operatorKey: ['@aws-sdk/client-secrets-manager'],
  ses: ['@aws-sdk/client-sesv2'],
  exports: ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  startsNightly: ['@aws-sdk/client-sfn'],
  outboxSender: ['@aws-sdk/client-sqs'],
};

const granted = (needs: FunctionNeeds, grant: keyof typeof clientsOf): boolean =>
  grant === 'exports' ? needs.exports !== 'none' : needs[grant] === true;

/** The SDK client packages a function with these needs must not bundle. */
export const ungrantedClients = (needs: FunctionNeeds): string[] =>
  (Object.keys(clientsOf) as (keyof typeof clientsOf)[]).filter((grant) => !granted(needs, grant)).flatMap((grant) => clientsOf[grant]);
