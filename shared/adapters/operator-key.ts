import { awsJsonCall, awsService, jsonError } from './aws-http';
import type { Env } from '../schemas/env';

/**
 * The operator key comes from BOOMERANG_OPERATOR_KEY (local, tests) or, in AWS, from the
 * Secrets Manager secret the stack generates, so it never sits in a function's configuration.
 */
export const loadOperatorKey = async (env: Env): Promise<string | undefined> => {
  if (env.BOOMERANG_OPERATOR_KEY) return env.BOOMERANG_OPERATOR_KEY;
  if (!env.BOOMERANG_OPERATOR_KEY_SECRET_ARN) return undefined;
  const secrets = awsService({
    service: 'secretsmanager',
    endpointId: 'SECRETS_MANAGER',
    host: (region) => `secretsmanager.${region}.amazonaws.com`,
    error: jsonError,
  });
  const out = await awsJsonCall(
    secrets,
    'secretsmanager',
    '1.1',
  )<{ SecretString?: string }>('GetSecretValue', { SecretId: env.BOOMERANG_OPERATOR_KEY_SECRET_ARN });
  return out.SecretString;
};

const loaded = new WeakMap<Env, Promise<string | undefined>>();

/**
 * The operator key of a runtime's environment, read once per container (a failed read is tried
 * again next time). Only functions that check or sign with the key import this module.
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
