import type { Minor } from '../shared/money';
import { MINOR_DIGITS } from '../shared/money';

/**
 * Which price to write into Product.Price so that nopCommerce charges what Kit Builder showed. Read against
 * nopCommerce 4.60-4.90 (paths are 4.90's, under src/):
 * - Libraries/Nop.Services/Tax/TaxService.cs GetProductPriceAsync: with PricesIncludeTax false a price is shown
 *   with tax as `price × (1 + rate/100)`; with PricesIncludeTax true without tax as `price − price/(100+rate)×rate`;
 *   a tax-exempt product's price under PricesIncludeTax true loses the rate of its tax category in both views.
 * - Plugins/Nop.Plugin.Tax.FixedOrByCountryStateZip: in fixed mode the rate is the setting
 *   `tax.taxprovider.fixedorbycountrystatezip.taxcategoryid<N>` (store 0), else it depends on the address.
 * - Libraries/Nop.Services/Orders/ShoppingCartService.cs GetUnitPriceAsync: the cart and the order round the
 *   unit price to the currency (Math.Round, 2 decimals, half to even) before tax when
 *   ShoppingCartSettings.RoundPricesDuringCalculation; PriceFormatter rounds every shown price the same way.
 * Kit Builder's price must come out, to the cent, as nopCommerce's price on Kit Builder's basis (with tax when
 * Kit Builder's prices include it): on the product, per unit in the cart and on the order, and for the line.
 * All arithmetic is on exact fractions: .NET decimal keeps 28 digits, so its results round to the same cents.
 */

export const FIXED_RATE_PROVIDER = 'Tax.FixedOrByCountryStateZip';
/** Product.Price is decimal(18,4) */
export const PRICE_DECIMALS = 4;

/** The shop's tax settings in force, as read from its Setting table. */
export interface ShopTax {
  /** TaxSettings.PricesIncludeTax: how nopCommerce reads Product.Price */
  pricesIncludeTax: boolean;
  /** TaxSettings.TaxDisplayType: how it shows prices (customers may choose when allowCustomerDisplayType) */
  displayType: 'IncludingTax' | 'ExcludingTax';
  allowCustomerDisplayType: boolean;
  /** TaxSettings.ActiveTaxProviderSystemName */
  provider: string;
  /** FixedOrByCountryStateZipTaxSettings.CountryStateZipEnabled: rates by address instead of fixed */
  countryStateZip: boolean;
  /** ShoppingCartSettings.RoundPricesDuringCalculation */
  roundDuringCalculation: boolean;
  /** fixed rates in percent by tax category id, as the setting's text ("25", "7.7") */
  fixedRates: Map<number, string>;
}

/** How the prices of one kind of line (taxable or exempt) are converted; or why they cannot be. */
export type TaxPlan =
  | { convertible: true; /** percent; 0: written as is */ rate: string; /** nopCommerce adds the rate to Product.Price (true) or takes it out */ adds: boolean }
  | { convertible: false; reason: string };

const fixedRate = (shop: ShopTax, categoryId: number) => shop.fixedRates.get(categoryId) ?? '0';
const isFixed = (shop: ShopTax) => shop.provider.toLowerCase() === FIXED_RATE_PROVIDER.toLowerCase() && !shop.countryStateZip;

/**
 * What nopCommerce does to a line's price between Product.Price and Kit Builder's basis, for a taxable line of
 * tax category `categoryId` or an exempt one (written with tax category 0). Refused where the rate depends on
 * the shopper's address, or where the cart's rounding before tax cannot land on every cent.
 */
export function taxPlan(kitIncludesTax: boolean, shop: ShopTax, line: { taxable: boolean; categoryId: number }): TaxPlan {
  // An exempt product's price is read as including its category's rate when prices include tax, and shown without it.
  const categoryId = line.taxable ? line.categoryId : 0;
  const changes = line.taxable ? kitIncludesTax !== shop.pricesIncludeTax : shop.pricesIncludeTax;
  if (!changes) return { convertible: true, rate: '0', adds: false };
  if (!isFixed(shop)) {
    return {
      convertible: false,
      reason:
        `KITBUILDER_PRICES_INCLUDE_TAX=${kitIncludesTax} but the shop's prices ${shop.pricesIncludeTax ? 'include' : 'exclude'} tax, and its tax provider ` +
        `(${shop.provider || 'none set'}${shop.countryStateZip ? ', by country/state/zip' : ''}) takes the rate from the shopper's address, ` +
        'so no price kitbridge writes can match Kit Builder\'s for every shopper. Make the two agree (Configuration > Settings > Tax settings > "Prices include tax") or use fixed rates.',
    };
  }
  const rate = fixedRate(shop, categoryId);
  if (isZero(rate)) return { convertible: true, rate: '0', adds: false };
  if (shop.roundDuringCalculation) {
    return {
      convertible: false,
      reason:
        `KITBUILDER_PRICES_INCLUDE_TAX=${kitIncludesTax} but the shop's prices ${shop.pricesIncludeTax ? 'include' : 'exclude'} tax (${rate} % for tax category ${categoryId}), ` +
        'and "Round prices during calculation" (Settings > Shopping cart) rounds each unit price to the cent before tax, so many prices cannot come out to Kit Builder\'s cent. ' +
        'Turn that setting off, or make the two bases agree.',
    };
  }
  return { convertible: true, rate, adds: line.taxable && !shop.pricesIncludeTax };
}

/** An exact fraction; amounts are in currency units. */
interface Fraction {
  n: bigint;
  d: bigint;
}

/** A decimal text ("7.7", "25.0000") as a fraction. */
function decimal(text: string): Fraction {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`not a tax rate: ${text}`);
  const fraction = match[2] ?? '';
  return { n: BigInt(match[1]! + fraction), d: 10n ** BigInt(fraction.length) };
}

const isZero = (text: string) => decimal(text).n === 0n;

/** Math.Round(value, digits): half to even, as .NET rounds a decimal. Returns the value in units of 10^-digits. */
export function roundHalfEven(value: Fraction, digits: number): bigint {
  const scaled = value.n * 10n ** BigInt(digits);
  const q = scaled / value.d;
  const twice = 2n * (scaled % value.d);
  if (twice > value.d || (twice === value.d && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Product.Price (units of 10^-4) on Kit Builder's basis: TaxService.CalculatePrice with the plan's rate. */
function onKitBasis(price: bigint, plan: Extract<TaxPlan, { convertible: true }>, scale: bigint): Fraction {
  const rate = decimal(plan.rate);
  // increase: price × (100 + rate) / 100; decrease: price × 100 / (100 + rate)
  const hundredPlusRate = { n: 100n * rate.d + rate.n, d: rate.d };
  return plan.adds
    ? { n: price * hundredPlusRate.n, d: scale * 100n * hundredPlusRate.d }
    : { n: price * 100n * hundredPlusRate.d, d: scale * hundredPlusRate.n };
}

/**
 * Product.Price, as a 4-decimal string, for a line Kit Builder prices at `unitPrice` (minor units) and sells
 * `quantity` of: the 4-decimal price nearest the exact conversion whose unit and line prices both round to
 * Kit Builder's cents. Throws (with the reason) when there is none, which for quantities below a hundred the
 * round trip test shows never happens.
 */
export function shopPrice(unitPrice: Minor, quantity: number, plan: TaxPlan): string {
  if (!plan.convertible) throw new Error(plan.reason);
  const scale = 10n ** BigInt(PRICE_DECIMALS);
  const toPrice = 10n ** BigInt(PRICE_DECIMALS - MINOR_DIGITS);
  if (isZero(plan.rate)) return format(unitPrice * toPrice);
  const q = BigInt(quantity);
  // The exact inverse, in units of 10^-4, then its neighbours outwards.
  const ideal = onKitBasis(unitPrice * toPrice, { ...plan, adds: !plan.adds }, scale);
  const nearest = roundHalfEven(ideal, PRICE_DECIMALS);
  for (const step of [0n, 1n, -1n, 2n, -2n]) {
    const price = nearest + step;
    if (price < 0n) continue;
    const unit = roundHalfEven(onKitBasis(price, plan, scale), MINOR_DIGITS);
    const line = roundHalfEven(onKitBasis(price * q, plan, scale), MINOR_DIGITS);
    if (unit === unitPrice && line === unitPrice * q) return format(price);
  }
  throw new Error(
    `no 4-decimal price makes nopCommerce show ${format(unitPrice * toPrice)} for ${quantity} at ${plan.rate} % tax; make Kit Builder's and the shop's tax bases agree`,
  );
}

const format = (price: bigint) => {
  const scale = 10n ** BigInt(PRICE_DECIMALS);
  return `${price / scale}.${(price % scale).toString().padStart(PRICE_DECIMALS, '0')}`;
};

/** The shop's tax settings in force, and why kitbridge cannot price kits under them (empty when it can). */
export interface ShopTaxCheck {
  tax: ShopTax;
  /** KITBUILDER_PRICES_INCLUDE_TAX, and the fixed rate of NOPCOMMERCE_TAX_CATEGORY_ID (percent) */
  kitPricesIncludeTax: boolean;
  taxCategory: { id: number; rate: string };
  problems: string[];
}

/** Both kinds of line a kit can have, checked once: at start, on the health page, and in every delivery. */
export function taxCheck(settings: { kitPricesIncludeTax: boolean; taxCategoryId: number }, tax: ShopTax): ShopTaxCheck {
  const plans = [true, false].map((taxable) => taxPlan(settings.kitPricesIncludeTax, tax, { taxable, categoryId: settings.taxCategoryId }));
  return {
    tax,
    kitPricesIncludeTax: settings.kitPricesIncludeTax,
    taxCategory: { id: settings.taxCategoryId, rate: fixedRate(tax, settings.taxCategoryId) },
    problems: [...new Set(plans.flatMap((plan) => (plan.convertible ? [] : [plan.reason])))],
  };
}
