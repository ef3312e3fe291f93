import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Env } from '../schemas/env';

/**
 * The operator key comes from BOOMERANG_OPERATOR_KEY (local, tests) or, in AWS, from the
 * Secrets Manager secret the stack generates, so it never sits in a function's configuration.
 */
export const loadOperatorKey = async (env: Env): Promise<string | undefined> => {
  if (env.BOOMERANG_OPERATOR_KEY) return env.BOOMERANG_OPERATOR_KEY;
  if (!env.BOOMERANG_OPERATOR_KEY_SECRET_ARN) return undefined;
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: env.BOOMERANG_OPERATOR_KEY_SECRET_ARN }));
  return out.SecretString;
};
