import type { Knex } from 'knex';
import { aDelivery } from '../factories/delivery';
import { NOP_ENGINES, startShopApp } from '../helpers/nopcommerce';
import { startStorefront } from '../helpers/storefront';

jest.setTimeout(120_000);

/** The shop's tax settings as its admin saves them (Settings > Tax settings, Settings > Shopping cart, the fixed rate of category 1). */
async function setTax(db: Knex, settings: { pricesIncludeTax: boolean; includingTax: boolean; rate: string; round: boolean; provider?: string }) {
  const rows = {
    'taxsettings.pricesincludetax': settings.pricesIncludeTax ? 'True' : 'False',
    'taxsettings.taxdisplaytype': settings.includingTax ? 'IncludingTax' : 'ExcludingTax',
    'taxsettings.activetaxprovidersystemname': settings.provider ?? 'Tax.FixedOrByCountryStateZip',
    'shoppingcartsettings.roundpricesduringcalculation': settings.round ? 'True' : 'False',
    'tax.taxprovider.fixedorbycountrystatezip.taxcategoryid1': settings.rate,
  };
  for (const [Name, Value] of Object.entries(rows)) {
    const updated = await db('Setting').where({ Name, StoreId: 0 }).update({ Value });
    if (updated === 0) await db('Setting').insert({ Name, Value, StoreId: 0 });
  }
}

/** A taxable line of 12 at 119.95 and an exempt line of 3 at 99.99: prices whose conversion is not exact. */
const kit = () =>
  aDelivery({
    UnitPrice: 119.95,
    sizes: [
      { Name: 'M', Quantity: 12 },
      { Name: 'Kids', Quantity: 3, CartPrice: 99.99, TaxExempt: true },
    ],
    Price: 119.95 * 12 + 99.99 * 3,
  });
const EXPECTED = [
  { unit: '119.95', line: '1439.40' },
  { unit: '99.99', line: '299.97' },
];

/** Puts every line of the kit into a shopper's cart over HTTP, opens the cart page, checks out. */
async function shopperBuys(shop: Awaited<ReturnType<typeof startStorefront>>, ids: number[], quantities: number[]) {
  const home = await fetch(`${shop.origin}/`);
  const cookie = home.headers.get('set-cookie')!.split(';')[0]!;
  for (const [i, id] of ids.entries()) {
    const added = await (await fetch(`${shop.origin}/addproducttocart/catalog/${id}/1/${quantities[i]}`, { method: 'POST', headers: { cookie } })).json();
    expect(added).toMatchObject({ success: true });
  }
  const cart = await (await fetch(`${shop.origin}/cart`, { headers: { cookie } })).text();
  const shown = ids.map((id) => {
    const row = new RegExp(`data-product-id="${id}".*?product-unit-price">([^<]*)<.*?product-subtotal">([^<]*)<`).exec(cart)!;
    return { unit: row[1], line: row[2] };
  });
  const checkout = await fetch(`${shop.origin}/checkout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
  const orderId = Number(/(\d+)$/.exec(checkout.headers.get('location')!)![1]);
  return { shown, orderId };
}

describe.each(NOP_ENGINES)('on %s, the shop charges the price Kit Builder showed', (engine) => {
  describe.each([true, false])('Kit Builder prices include tax: %p', (kitIncludesTax) => {
    let kitbridge: Awaited<ReturnType<typeof startShopApp>>;
    beforeAll(async () => {
      kitbridge = await startShopApp({ engine, settings: { kitPricesIncludeTax: kitIncludesTax } });
    });
    afterAll(() => kitbridge?.close());

    it.each([
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ])('prices include tax %p, shown including tax %p: cart and order hold Kit Builder’s prices', async (pricesIncludeTax, includingTax) => {
      // Rounding during calculation only where no conversion is needed: otherwise the start is refused (below).
      await setTax(kitbridge.shop, { pricesIncludeTax, includingTax, rate: '25', round: pricesIncludeTax === kitIncludesTax });
      const response = await kitbridge.app.deliver(kit()).expect(200);
      const ids: number[] = response.body.lines.map((line: { nopProductId: number }) => line.nopProductId);
      const shop = await startStorefront(kitbridge.nop, { head: '', antiforgery: false });
      try {
        const { shown, orderId } = await shopperBuys(shop, ids, [12, 3]);
        // The cart shows Kit Builder's price wherever it shows prices on Kit Builder's basis; the exempt line everywhere.
        if (includingTax === kitIncludesTax) expect(shown).toEqual(EXPECTED);
        else expect(shown[1]).toEqual(EXPECTED[1]);
        const items = await kitbridge.shop('OrderItem').where({ OrderId: orderId }).orderBy('Id');
        const basis = kitIncludesTax ? 'InclTax' : 'ExclTax';
        expect(items.map((item) => ({ unit: Number(item[`UnitPrice${basis}`]).toFixed(2), line: Number(item[`Price${basis}`]).toFixed(2) }))).toEqual(EXPECTED);
        // Tax-exempt lines carry no tax in any mode.
        expect(Number(items[1].PriceInclTax)).toBe(Number(items[1].PriceExclTax));
      } finally {
        await shop.close();
      }
    });
  });

  it('refuses a delivery, naming the setting, when the shop changed to a combination kitbridge cannot price', async () => {
    const kitbridge = await startShopApp({ engine, settings: { kitPricesIncludeTax: true } });
    try {
      await setTax(kitbridge.shop, { pricesIncludeTax: false, includingTax: true, rate: '25', round: false, provider: 'Tax.Avalara' });
      const refused = await kitbridge.app.deliver(kit()).expect(500);
      expect(refused.body.detail).toMatch(/cannot price line 0 for the shop: .*takes the rate from the shopper's address/);
      expect(Number((await kitbridge.shop('Product').count({ n: '*' }))[0]!.n)).toBe(0);

      await setTax(kitbridge.shop, { pricesIncludeTax: false, includingTax: true, rate: '25', round: true });
      const rounding = await kitbridge.app.deliver(kit()).expect(500);
      expect(rounding.body.detail).toMatch(/Round prices during calculation/);
      const check = await kitbridge.adapter.checkConnection();
      expect(check.problems).toEqual([expect.stringContaining('Round prices during calculation')]);
    } finally {
      await kitbridge.close();
    }
  });

  it('refuses a changed quantity in the cart, as nopCommerce does, so the print run stays the roster’s', async () => {
    const kitbridge = await startShopApp({ engine });
    const shop = await startStorefront(kitbridge.nop, { head: '', antiforgery: false });
    try {
      const response = await kitbridge.app.deliver(aDelivery({ sizes: [{ Name: 'M', Quantity: 12 }] })).expect(200);
      const id = response.body.lines[0].nopProductId;
      const cookie = (await fetch(`${shop.origin}/`)).headers.get('set-cookie')!.split(';')[0]!;
      await fetch(`${shop.origin}/addproducttocart/catalog/${id}/1/12`, { method: 'POST', headers: { cookie } });
      const [line] = shop.lines() as Array<{ id: number }>;
      for (const [quantity, warning] of [
        [1, 'The minimum quantity allowed for purchase is 12.'],
        [13, 'The maximum quantity allowed for purchase is 12.'],
      ] as const) {
        const page = await (await fetch(`${shop.origin}/cart`, { method: 'POST', headers: { cookie }, body: `itemquantity${line!.id}=${quantity}` })).text();
        expect(page).toContain(`<div class="message-error">${warning}</div>`);
        expect(shop.cart()).toEqual({ [id]: 12 });
      }
    } finally {
      await shop.close();
      await kitbridge.close();
    }
  });
});
