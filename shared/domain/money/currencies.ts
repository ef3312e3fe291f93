import { nonDefaultExponents } from './exponents';

export { currencyExponent } from './exponents';

const knownCodes: ReadonlySet<string> = new Set([
  ...Intl.supportedValuesOf('currency'),
  ...Object.keys(nonDefaultExponents),
]);

export const isCurrencyCode = (code: string): boolean => /^[A-Z]{3}$/.test(code) && knownCodes.has(code);
