/**
 * ISO 4217 minor-unit exponents. Every code not listed here that Intl knows has exponent 2.
 * Kept as data (not Intl's CLDR "digits") because CLDR rounds display digits for some
 * currencies (e.g. HUF, TWD) while ISO 4217 — what platforms send — keeps the minor unit.
 */
export const nonDefaultExponents: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Number of decimal places of the currency's minor unit (JPY 0, EUR 2, KWD 3). */
export const currencyExponent = (code: string): number => nonDefaultExponents[code] ?? 2;
