import { operatorKey } from '../adapters/operator-key';
import { loyaltyPageSecretFrom } from '../domain/storefront/page-token';
import type { Runtime } from './current-runtime';

/**
 * The key of the page tokens in our e-mails' links to the hosted loyalty page, derived from the
 * operator key: the outbox signs with it, the page verifies with it. Undefined without an operator key.
 */
export const loyaltyPageSecret = async (rt: Runtime): Promise<Buffer | undefined> => {
  const key = await operatorKey(rt);
  return key ? loyaltyPageSecretFrom(key) : undefined;
};
