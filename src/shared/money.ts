/**
 * Money is held as integer minor units (bigint) and printed as fixed decimal strings.
 * Kit Builder sends prices as JSON numbers; a number is read through its shortest decimal form
 * (what JSON had), never through float arithmetic, and rounded to the currency here and only here.
 */
export const MINOR_DIGITS = 2;
const SCALE = 10n ** BigInt(MINOR_DIGITS);

export type Minor = bigint;

export interface Rounded {
  minor: Minor;
  /** false when the input had more decimals than the currency and rounding changed it */
  exact: boolean;
}

/** Rounds a non-negative decimal number half away from zero to minor units. */
export function toMinor(value: number): Rounded {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`not a non-negative finite amount: ${value}`);
  const { digits, exponent } = decimalParts(value);
  // value = digits * 10^exponent; we want value * 10^MINOR_DIGITS
  const shift = exponent + MINOR_DIGITS;
  if (shift >= 0) return { minor: digits * 10n ** BigInt(shift), exact: true };
  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  const remainder = digits % divisor;
  const roundUp = remainder * 2n >= divisor;
  return { minor: roundUp ? quotient + 1n : quotient, exact: remainder === 0n };
}

export function formatMinor(minor: Minor): string {
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(MINOR_DIGITS, '0');
  return `${sign}${whole}.${fraction}`;
}

export function sumMinor(values: Iterable<Minor>): Minor {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/** The shortest decimal form of a number, as JSON wrote it: digits * 10^exponent. */
function decimalParts(value: number): { digits: bigint; exponent: number } {
  const [mantissa, exp = '0'] = String(value).toLowerCase().split('e');
  const [whole, fraction = ''] = mantissa!.split('.');
  return { digits: BigInt(whole! + fraction), exponent: Number(exp) - fraction.length };
}
