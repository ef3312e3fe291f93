import type { IssueApiKey, NewSecret, ShopsDeps } from '../app/shop-service';
import { issueShopApiKey, randomToken } from '../adapters/secrets';
import type { Runtime } from './current-runtime';

/** The shop admin use cases' deps: the repository, the clock and the API key maker (adapters/secrets.ts). */
export const shopAdminDeps = (
  rt: Runtime,
): ShopsDeps & { issueApiKey: IssueApiKey; newSecret: NewSecret; newWebhookSecret: NewSecret } => ({
  shops: rt.shops,
  clock: rt.clock,
  issueApiKey: issueShopApiKey,
  // 256 bits, prefixed so a leaked one is recognisable (and greppable by secret scanners).
  newSecret: () => `bss_${randomToken(32)}`,
  // What the shop pastes into its platform's webhook settings (Shopify: the app's secret is Shopify's own).
  newWebhookSecret: () => `whsec_${randomToken(32)}`,
});
