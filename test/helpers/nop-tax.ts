/**
 * nopCommerce's price path from Product.Price to what the shopper sees, transcribed from its source (4.90,
 * src/Libraries/Nop.Services) with System.Decimal's arithmetic, as an oracle independent of kitbridge's
 * src/nopcommerce/tax.ts:
 * - Tax/TaxService.cs GetProductPriceAsync (l. 445-510) and CalculatePrice (l. 211-223);
 * - Orders/ShoppingCartService.cs GetUnitPriceAsync (l. 1527: RoundPriceAsync when RoundPricesDuringCalculation)
 *   and GetSubTotalAsync (unit price × quantity);
 * - Catalog/PriceCalculationService.cs Round (l. 521: Math.Round(value, 2), i.e. MidpointRounding.ToEven);
 * - Catalog/PriceFormatter.cs FormatPriceAsync (l. 292: rounds every shown price the same way);
 * - Orders/OrderProcessingService.cs (l. 1262-1289): the order item's unit and line prices with and without tax.
 */

/** A System.Decimal: value = m / 10^s, |m| < 2^96, 0 <= s <= 28. */
export interface NetDecimal {
  m: bigint;
  s: number;
}

const MAX_MANTISSA = 2n ** 96n;
const POW10 = Array.from({ length: 90 }, (_, i) => 10n ** BigInt(i));

export function dec(text: string): NetDecimal {
  const [whole, fraction = ''] = text.split('.');
  return { m: BigInt(whole! + fraction), s: fraction.length };
}

export function decText(d: NetDecimal): string {
  const neg = d.m < 0n;
  const digits = (neg ? -d.m : d.m).toString().padStart(d.s + 1, '0');
  const text = d.s === 0 ? digits : `${digits.slice(0, -d.s)}.${digits.slice(-d.s)}`;
  return neg ? `-${text}` : text;
}

/** Rounds m/10^s half to even to `scale` decimals (scale <= s). */
function rescale(d: NetDecimal, scale: number): NetDecimal {
  if (scale >= d.s) return { m: d.m * POW10[scale - d.s]!, s: scale };
  const div = POW10[d.s - scale]!;
  let q = d.m / div;
  const r = d.m % div;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice > div || (twice === div && q % 2n !== 0n)) q += d.m < 0n ? -1n : 1n;
  return { m: q, s: scale };
}

/** System.Decimal keeps at most 96 bits of mantissa and 28 decimals: the result is rounded half to even to fit. */
function fit(d: NetDecimal): NetDecimal {
  const abs = d.m < 0n ? -d.m : d.m;
  let scale = Math.min(28, d.s);
  // one rounding to the largest scale that fits (rounding twice could turn a near-tie into a tie)
  while (scale > 0 && abs / POW10[d.s - scale]! >= MAX_MANTISSA) scale -= 1;
  return rescale(d, scale);
}

const add = (a: NetDecimal, b: NetDecimal): NetDecimal => {
  const s = Math.max(a.s, b.s);
  return fit({ m: rescale(a, s).m + rescale(b, s).m, s });
};
const neg = (a: NetDecimal): NetDecimal => ({ m: -a.m, s: a.s });
const mul = (a: NetDecimal, b: NetDecimal): NetDecimal => fit({ m: a.m * b.m, s: a.s + b.s });

/** Decimal division: the quotient to as many digits as fit (28 decimals, 96 bits), rounded half to even. */
function div(a: NetDecimal, b: NetDecimal): NetDecimal {
  // a/b = (a.m * 10^(b.s + k) / b.m) / 10^(a.s + k): 30 digits beyond what can be kept, then a sticky digit
  // for a non-zero remainder, so that rounding to fit sees "above the tie" rather than a tie.
  const k = 30;
  const num = a.m * POW10[b.s + k]!;
  const q = num / b.m;
  const exact = num % b.m === 0n;
  return fit(exact ? { m: q, s: a.s + k } : { m: q * 10n + 1n, s: a.s + k + 1 });
}

const ONE = dec('1');
const HUNDRED = dec('100');

/** TaxService.CalculatePrice */
function calculatePrice(price: NetDecimal, percent: NetDecimal, increase: boolean): NetDecimal {
  if (percent.m === 0n) return price;
  if (increase) return mul(price, add(ONE, div(percent, HUNDRED)));
  return add(price, neg(mul(div(price, add(HUNDRED, percent)), percent)));
}

export interface NopTaxContext {
  pricesIncludeTax: boolean;
  /** the rate the provider answers for the product's tax category (a tax-exempt product has one too) */
  taxRate: string;
  isTaxable: boolean;
}

/** TaxService.GetProductPriceAsync(product, taxCategoryId, price, includingTax, customer, priceIncludesTax). */
export function getProductPrice(price: NetDecimal, includingTax: boolean, tax: NopTaxContext): NetDecimal {
  if (price.m === 0n) return price;
  const rate = dec(tax.taxRate);
  let result = price;
  if (tax.pricesIncludeTax) {
    if (includingTax) {
      if (!tax.isTaxable) result = calculatePrice(result, rate, false);
    } else {
      result = calculatePrice(result, rate, false);
    }
  } else if (includingTax && tax.isTaxable) {
    result = calculatePrice(result, rate, true);
  }
  return result;
}

/** PriceCalculationService.Round with RoundingType.Rounding001: Math.Round(value, 2). */
export const roundPrice = (value: NetDecimal): NetDecimal => (value.s <= 2 ? value : rescale(value, 2));

/** What the shopper and the shop see of one product line, each already rounded as PriceFormatter shows it. */
export interface ShownPrices {
  /** the product's price as the catalog shows it (GetFinalPriceAsync, then tax, then the formatter) */
  product: string;
  /** the cart's and the order item's unit price */
  unit: string;
  /** the cart's and the order item's line total (GetSubTotalAsync, then tax) */
  line: string;
}

export interface NopCartContext extends NopTaxContext {
  roundPricesDuringCalculation: boolean;
}

/** The product, unit and line prices with or without tax, from Product.Price as stored (decimal(18,4)). */
export function shownPrices(productPrice: string, quantity: number, includingTax: boolean, cart: NopCartContext): ShownPrices {
  const stored = dec(productPrice);
  const unitPrice = cart.roundPricesDuringCalculation ? roundPrice(stored) : stored;
  const subTotal = mul(unitPrice, dec(String(quantity)));
  const show = (value: NetDecimal) => decText(rescale(roundPrice(getProductPrice(value, includingTax, cart)), 2));
  return { product: show(stored), unit: show(unitPrice), line: show(subTotal) };
}

/** The settings nopCommerce prices with, read as its SettingService loads them for store 1 (shared rows, StoreId 0, here). */
export interface NopPricing {
  pricesIncludeTax: boolean;
  /** TaxSettings.TaxDisplayType, by name */
  includingTax: boolean;
  roundPricesDuringCalculation: boolean;
  /** the fixed-rate provider's rate for a tax category */
  rateOf: (taxCategoryId: number) => string;
}

export async function readNopPricing(db: import('knex').Knex): Promise<NopPricing> {
  const rows: Array<{ Name: string; Value: string }> = await db('Setting').where({ StoreId: 0 }).select('Name', 'Value');
  const get = (name: string) => rows.find((row) => row.Name === name)?.Value;
  return {
    pricesIncludeTax: get('taxsettings.pricesincludetax') === 'True',
    includingTax: (get('taxsettings.taxdisplaytype') ?? 'IncludingTax') === 'IncludingTax',
    roundPricesDuringCalculation: get('shoppingcartsettings.roundpricesduringcalculation') === 'True',
    rateOf: (id) => get(`tax.taxprovider.fixedorbycountrystatezip.taxcategoryid${id}`) ?? '0',
  };
}

/** A product line's prices as the cart page and the order item hold them. */
export function linePrices(product: { Price: unknown; TaxCategoryId: number; IsTaxExempt: unknown }, quantity: number, pricing: NopPricing, includingTax = pricing.includingTax) {
  const cart: NopCartContext = {
    pricesIncludeTax: pricing.pricesIncludeTax,
    taxRate: pricing.rateOf(product.TaxCategoryId),
    isTaxable: !product.IsTaxExempt,
    roundPricesDuringCalculation: pricing.roundPricesDuringCalculation,
  };
  const price = String(product.Price);
  return { shown: shownPrices(price, quantity, includingTax, cart), inclTax: shownPrices(price, quantity, true, cart), exclTax: shownPrices(price, quantity, false, cart) };
}
