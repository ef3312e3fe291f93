import type { IssueApiKey, ShopsDeps } from '../app/shops-service';
import { issueShopApiKey } from '../adapters/secrets';
import type { Runtime } from './current-runtime';

/** The shop admin use cases' deps: the repository, the clock and the API key maker (adapters/secrets.ts). */
export const shopAdminDeps = (rt: Runtime): ShopsDeps & { issueApiKey: IssueApiKey } => ({
  shops: rt.shops,
  clock: rt.clock,
  issueApiKey: issueShopApiKey,
});
