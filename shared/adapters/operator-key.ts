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

const loaded = new WeakMap<Env, Promise<string | undefined>>();

/**
 * The operator key of a runtime's environment, read once per container (a failed read is tried
 * again next time). Only functions that check or sign with the key import this module, so only
 * they bundle the Secrets Manager client.
 */
export const operatorKey = (rt: { env: Env }): Promise<string | undefined> => {
  let key = loaded.get(rt.env);
  if (!key) {
    key = loadOperatorKey(rt.env);
    loaded.set(rt.env, key);
    key.catch(() => loaded.delete(rt.env));
  }
  return key;
};
