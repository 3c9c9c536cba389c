import { shopPrice, taxPlan, type ShopTax } from '../../src/nopcommerce/tax';
import { dec, decText, getProductPrice, shownPrices } from '../helpers/nop-tax';

/** The installed tax settings (schema-attributes.sql), with a fixed rate for tax category 1. */
const shop = (changes: Partial<ShopTax> & { rate?: string } = {}): ShopTax => ({
  pricesIncludeTax: false,
  displayType: 'ExcludingTax',
  allowCustomerDisplayType: false,
  provider: 'Tax.FixedOrByCountryStateZip',
  countryStateZip: false,
  roundDuringCalculation: false,
  fixedRates: new Map([[1, changes.rate ?? '25']]),
  ...changes,
});

const cents = (minor: bigint) => `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;

describe('the nopCommerce oracle', () => {
  it('shows the issue’s Danish example as nopCommerce does: 119.50 entered without VAT is 149.38 with 25 %', () => {
    expect(shownPrices('119.50', 1, true, { pricesIncludeTax: false, taxRate: '25', isTaxable: true, roundPricesDuringCalculation: true }).unit).toBe('149.38');
  });
  it('takes tax out as price − price/(100+rate)×rate with decimal’s 96-bit mantissa', () => {
    // 100/121 = 0.8264462809917355371900826446 (28 decimals); × 21 = 17.355371900826446280991735537 (27 fit);
    // 100 − that needs 29 digits, so decimal keeps 26 decimals.
    expect(decText(getProductPrice(dec('100'), false, { pricesIncludeTax: true, taxRate: '21', isTaxable: true }))).toBe('82.64462809917355371900826446');
  });
});

// Every price in cents from 0.01 to 300.00, and a sample to 1,000,000 (every 9,973rd cent), at realistic rates.
const RATES = ['25', '21', '20', '19', '7.7', '8.1', '0.5', '17.5'];
const everyCent = function* () {
  for (let c = 1n; c <= 30_000n; c++) yield c;
  for (let c = 30_001n; c <= 100_000_000n; c += 9_973n) yield c;
};

describe.each([true, false])('Kit Builder prices include tax: %p', (kitIncludesTax) => {
  it.each(RATES)('every price in cents round-trips through nopCommerce’s formulas at %p %%, per unit and for 12', (rate) => {
    const settings = shop({ rate, pricesIncludeTax: !kitIncludesTax });
    const plan = taxPlan(kitIncludesTax, settings, { taxable: true, categoryId: 1 });
    const cart = { pricesIncludeTax: !kitIncludesTax, taxRate: rate, isTaxable: true, roundPricesDuringCalculation: false };
    const wrong: string[] = [];
    for (const minor of everyCent()) {
      const price = shopPrice(minor, 12, plan);
      const shown = shownPrices(price, 12, kitIncludesTax, cart);
      if (shown.product !== cents(minor) || shown.unit !== cents(minor) || shown.line !== cents(minor * 12n)) {
        wrong.push(`${cents(minor)} -> ${price} -> ${JSON.stringify(shown)}`);
        if (wrong.length > 5) break;
      }
    }
    expect(wrong).toEqual([]);
  });
});

it('writes prices as they are where the bases agree, and exempt lines untaxed in every mode', () => {
  for (const pricesIncludeTax of [true, false]) {
    const plan = taxPlan(pricesIncludeTax, shop({ pricesIncludeTax, roundDuringCalculation: true }), { taxable: true, categoryId: 1 });
    expect(shopPrice(11950n, 12, plan)).toBe('119.5000');
    for (const kit of [true, false]) {
      const exempt = taxPlan(kit, shop({ pricesIncludeTax, roundDuringCalculation: true }), { taxable: false, categoryId: 1 });
      expect(shopPrice(11950n, 12, exempt)).toBe('119.5000');
    }
  }
});

it('converts with the rate of tax category 0 for an exempt line when the shop’s prices include tax', () => {
  const settings = shop({ pricesIncludeTax: true, fixedRates: new Map([[0, '10'], [1, '25']]) });
  const price = shopPrice(10000n, 3, taxPlan(true, settings, { taxable: false, categoryId: 1 }));
  const shown = shownPrices(price, 3, true, { pricesIncludeTax: true, taxRate: '10', isTaxable: false, roundPricesDuringCalculation: false });
  expect(shown).toEqual({ product: '100.00', unit: '100.00', line: '300.00' });
});

describe('refused combinations', () => {
  it('refuses a rate that depends on the shopper’s address, saying so', () => {
    for (const settings of [shop({ countryStateZip: true }), shop({ provider: 'Tax.Avalara' })]) {
      const plan = taxPlan(true, settings, { taxable: true, categoryId: 1 });
      expect(plan).toEqual({ convertible: false, reason: expect.stringContaining("takes the rate from the shopper's address") });
    }
    expect(taxPlan(false, shop({ provider: 'Tax.Avalara' }), { taxable: true, categoryId: 1 })).toMatchObject({ convertible: true, rate: '0' });
  });
  it('refuses to convert when the cart rounds unit prices before tax', () => {
    const plan = taxPlan(true, shop({ roundDuringCalculation: true }), { taxable: true, categoryId: 1 });
    expect(plan).toEqual({ convertible: false, reason: expect.stringContaining('Round prices during calculation') });
    expect(() => shopPrice(11950n, 1, plan)).toThrow('Round prices during calculation');
  });
  it('needs no conversion, and so refuses nothing, at a rate of 0', () => {
    expect(taxPlan(true, shop({ rate: '0', roundDuringCalculation: true }), { taxable: true, categoryId: 1 })).toMatchObject({ convertible: true });
  });
});
