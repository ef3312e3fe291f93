import { buildWidget } from '../infra/bundling/widget';
import { widgetAssetHandler } from '../functions/storefront-assets/widget-asset';

/**
 * The storefront-assets function for `npm start` and the tests: there is no bundle to read the
 * widget from, so it is built from web/widget/ on each request (a few tens of ms), which also
 * serves an edit without a restart.
 */
export const handler = widgetAssetHandler(async () => buildWidget().code);
