import { randomBytes } from 'node:crypto';
import { aDelivery, aRosterDelivery, sampleDelivery } from '../factories/delivery';
import { webUtilityHtmlEncode } from '../helpers/nop-cart';
import { NOP_ENGINES, startShopApp, type NopEngine } from '../helpers/nopcommerce';
import { startStorefront } from '../helpers/storefront';

type Shop = Awaited<ReturnType<typeof startShopApp>>;
type Link = { id: string; url: string; lines: Array<{ nopProductId: number; quantity: number }> };

/** A shopper of the stand-in storefront, driving it over HTTP as nopCommerce's public.ajaxcart.js does. */
function shopper(origin: string) {
  const cookie = `Nop.Customer=${randomBytes(8).toString('hex')}`;
  const post = (path: string) => fetch(origin + path, { method: 'POST', headers: { cookie }, redirect: 'manual' });
  return {
    add: async (productId: number, quantity: number) => (await post(`/addproducttocart/catalog/${productId}/1/${quantity}`)).json(),
    cartPage: async () => (await fetch(`${origin}/cart`, { headers: { cookie } })).text(),
    /** places the order; its id */
    checkout: async () => Number(/(\d+)$/.exec((await post('/checkout')).headers.get('location')!)![1]),
  };
}

/** The roster values of a product, as nopCommerce orders them. */
async function rosterOf(s: Shop, productId: number): Promise<string[]> {
  return s
    .shop('ProductAttributeValue as v')
    .join('Product_ProductAttribute_Mapping as m', 'm.Id', 'v.ProductAttributeMappingId')
    .where('m.ProductId', productId)
    .orderBy([{ column: 'v.DisplayOrder' }, { column: 'v.Id' }])
    .pluck('v.Name');
}

const HOSTILE = `<script>alert(1)</script>&"'`;
/** Kit Builder's Number is at most 20 characters. */
const HOSTILE_NUMBER = `7<i>&"'`;

describe.each(NOP_ENGINES)('on %s', (engine: NopEngine) => {
  describe.each(['4.60', '4.70', '4.80', '4.90'] as const)('nopCommerce %s', (version) => {
    let s: Shop;
    let link: Link;
    beforeAll(async () => {
      s = await startShopApp({ engine, version });
      link = (await s.app.deliver(sampleDelivery())).body;
    });
    afterAll(() => s.close());

    it('gives each kit product a roster: one shared attribute, one read-only mapping, pre-selected values, rows as nopCommerce defines them', async () => {
      const [first, second] = link.lines.map((line) => line.nopProductId);
      expect(await s.shop('ProductAttribute').select()).toEqual([
        { Id: 1, Name: 'Roster', Description: expect.stringContaining('Do not delete or rename it') },
      ]);
      const mappings = await s.shop('Product_ProductAttribute_Mapping').orderBy('Id').select();
      const mapping = (productId: number) => ({
        Id: expect.any(Number),
        ProductAttributeId: 1,
        ProductId: productId,
        TextPrompt: null,
        IsRequired: false,
        AttributeControlTypeId: 50,
        DisplayOrder: 0,
        ValidationMinLength: null,
        ValidationMaxLength: null,
        ValidationFileAllowedExtensions: null,
        ValidationFileMaximumSize: null,
        DefaultValue: null,
        ConditionAttributeXml: null,
      });
      expect(mappings).toEqual([mapping(first!), mapping(second!)]);
      const values = await s.shop('ProductAttributeValue').where({ ProductAttributeMappingId: mappings[0].Id }).orderBy('Id').select();
      const value = (Name: string, DisplayOrder: number) => ({
        Id: expect.any(Number),
        Name,
        ColorSquaresRgb: null,
        ProductAttributeMappingId: mappings[0].Id,
        AttributeValueTypeId: 0,
        AssociatedProductId: 0,
        ImageSquaresPictureId: 0,
        PriceAdjustment: '0.0000',
        PriceAdjustmentUsePercentage: false,
        WeightAdjustment: '0.0000',
        Cost: '0.0000',
        CustomerEntersQty: false,
        Quantity: 1,
        IsPreSelected: true,
        DisplayOrder,
        // int (NOT NULL) in 4.60, int? since 4.70
        PictureId: version === '4.60' ? 0 : null,
      });
      expect(values).toEqual([value(`Kit ${link.id}: ${link.url}`, 0), value('Team name – #1 – Name 1', 1)]);
    });

    it('puts the roster into the cart line and the order through the catalog route, as nopCommerce formats it', async () => {
      const store = await startStorefront(s.nop, { head: '', antiforgery: false });
      try {
        const shopperA = shopper(store.origin);
        for (const line of link.lines) expect(await shopperA.add(line.nopProductId, line.quantity)).toMatchObject({ success: true });
        const [taxable] = store.lines();
        const values = await s.shop('ProductAttributeValue').where({ ProductAttributeMappingId: 1 }).orderBy('Id').pluck('Id');
        expect(taxable!.attributesXml).toBe(
          `<Attributes><ProductAttribute ID="1">${values.map((id) => `<ProductAttributeValue><Value>${id}</Value></ProductAttributeValue>`).join('')}</ProductAttribute></Attributes>`,
        );
        const roster = `Roster: Kit ${link.id}: ${link.url}<br />Roster: Team name – #1 – Name 1`;
        expect(await shopperA.cartPage()).toContain(`<div class="attributes">${roster}</div>`);

        const orderId = await shopperA.checkout();
        const items = await s.shop('OrderItem').where({ OrderId: orderId }).orderBy('Id').select('ProductId', 'AttributeDescription', 'AttributesXml');
        expect(items[0]).toEqual({ ProductId: link.lines[0]!.nopProductId, AttributeDescription: roster, AttributesXml: taxable!.attributesXml });
        expect(items[1]!.AttributeDescription).toBe(`Roster: Kit ${link.id}: ${link.url}`);
      } finally {
        await store.close();
      }
    });
  });

  describe('a club kit of 3 teams × 25 players with names in many scripts', () => {
    let s: Shop;
    let link: Link;
    let delivery: ReturnType<typeof aRosterDelivery>;
    beforeAll(async () => {
      s = await startShopApp({ engine });
      delivery = aRosterDelivery(3, 25);
      link = (await s.app.deliver(delivery)).body;
    });
    afterAll(() => s.close());

    it('lists every player of each size once, ordered by team then number, on the order', async () => {
      const teams = delivery.SingleItemCheckout.TeamDetails.Teams as Array<{ Name: string; Units: Array<{ Name: string; Number: string; Size: string }> }>;
      const sizes = delivery.SingleItemCheckout.TeamDetails.Sizes as Array<{ Name: string }>;
      const store = await startStorefront(s.nop, { head: '', antiforgery: false });
      try {
        const buyer = shopper(store.origin);
        for (const [i, size] of sizes.entries()) {
          const expected = teams.flatMap((team) =>
            team.Units.filter((unit) => unit.Size === size.Name)
              .sort((a, b) => Number(a.Number) - Number(b.Number))
              .map((unit) => `${team.Name} – #${unit.Number} – ${unit.Name}`),
          );
          const productId = link.lines[i]!.nopProductId;
          expect(await rosterOf(s, productId)).toEqual([`Kit ${link.id}: ${link.url}`, ...expected]);
          expect(await buyer.add(productId, link.lines[i]!.quantity)).toMatchObject({ success: true });
        }
        const orderId = await buyer.checkout();
        const descriptions = await s.shop('OrderItem').where({ OrderId: orderId }).orderBy('Id').pluck('AttributeDescription');
        expect(descriptions).toHaveLength(3);
        const lines = descriptions.flatMap((d: string) => d.split('<br />'));
        expect(lines).toHaveLength(3 + 75);
        // WebUtility.HtmlEncode: Latin-1 letters as numeric entities, other scripts as they are.
        expect(lines).toContain('Roster: Team 1 — &#216;lstykke FC – #1 – &#197;sa 1');
        expect(lines.some((line: string) => line.includes('山田') || line.includes('Олег'))).toBe(true);
      } finally {
        await store.close();
      }
    });
  });

  it('escapes hostile values in every field of the descriptions, stores them as text in the roster, and the order shows them encoded', async () => {
    const s = await startShopApp({ engine });
    const store = await startStorefront(s.nop, { head: '', antiforgery: false });
    try {
      const response = await s.app.deliver(
        aDelivery({
          Name: `Kit ${HOSTILE}`,
          CategoryName: `Cat ${HOSTILE}`,
          ProductName: `Prod ${HOSTILE}`,
          DesignName: `Design ${HOSTILE}`,
          sizes: [{ Name: `M${HOSTILE}`, Quantity: 1, Sku: `SKU${HOSTILE}` }],
          teams: [{ Name: `Team ${HOSTILE}`, Units: [{ Name: `Name ${HOSTILE}`, Number: HOSTILE_NUMBER, Size: `M${HOSTILE}` }] }],
        }),
      );
      expect(response.status).toBe(200);
      const productId = response.body.lines[0].nopProductId;
      const product = await s.shop('Product').where({ Id: productId }).first();
      for (const column of ['ShortDescription', 'FullDescription']) {
        expect(product[column]).not.toMatch(/<script|&"|'/);
      }
      expect(product.ShortDescription).toBe(
        '1 × M&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39; · Cat &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39; ' +
          'Prod &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39; Design &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;',
      );
      expect(product.FullDescription).toContain('<p>Kit &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;: 1 × M&lt;script&gt;');
      // Plain-text columns hold the text itself: Razor and the attribute formatter encode it.
      expect(product.Name).toBe(`Kit ${HOSTILE} - M${HOSTILE}`);
      expect(product.Sku).toBe(`SKU${HOSTILE}`);
      const unit = `Team ${HOSTILE} – #${HOSTILE_NUMBER} – Name ${HOSTILE}`;
      expect((await rosterOf(s, productId))[1]).toBe(unit);

      const buyer = shopper(store.origin);
      expect(await buyer.add(productId, 1)).toMatchObject({ success: true });
      const orderId = await buyer.checkout();
      const [description] = await s.shop('OrderItem').where({ OrderId: orderId }).pluck('AttributeDescription');
      expect(description.split('<br />')[1]).toBe(webUtilityHtmlEncode(`Roster: ${unit}`));
      expect(description).not.toContain('<script');
    } finally {
      await store.close();
      await s.close();
    }
  });

  it(
    engine === 'mysql'
      ? 'puts a player named with an emoji on the order with U+FFFD for it, which utf8mb3 cannot hold'
      : 'puts a player named with an emoji on the order as typed',
    async () => {
      const s = await startShopApp({ engine });
      const store = await startStorefront(s.nop, { head: '', antiforgery: false });
      try {
        const kit = aDelivery({ sizes: [{ Name: 'M', Quantity: 1 }], teams: [{ Name: 'Team', Units: [{ Name: 'Mia 🦄', Number: '9', Size: 'M' }] }] });
        const link: Link = (await s.app.deliver(kit)).body;
        const buyer = shopper(store.origin);
        expect(await buyer.add(link.lines[0]!.nopProductId, 1)).toMatchObject({ success: true });
        const orderId = await buyer.checkout();
        const [description] = await s.shop('OrderItem').where({ OrderId: orderId }).pluck('AttributeDescription');
        const player = engine === 'mysql' ? 'Mia \uFFFD' : 'Mia 🦄';
        expect(description.split('<br />')[1]).toBe(webUtilityHtmlEncode(`Roster: Team – #9 – ${player}`));
      } finally {
        await store.close();
        await s.close();
      }
    },
  );

  it('is not added from the catalog, as in nopCommerce, once a mapping asks the shopper to choose', async () => {
    const s = await startShopApp({ engine });
    const store = await startStorefront(s.nop, { head: '', antiforgery: false });
    try {
      const link: Link = (await s.app.deliver(aDelivery())).body;
      const productId = link.lines[0]!.nopProductId;
      await s.shop('Product_ProductAttribute_Mapping').where({ ProductId: productId }).update({ AttributeControlTypeId: 1 });
      expect(await shopper(store.origin).add(productId, 1)).toEqual({ redirect: `/product-${productId}` });
      expect(store.lines()).toEqual([]);
    } finally {
      await store.close();
      await s.close();
    }
  });

  it('creates the shared Roster attribute once for concurrent first deliveries, and finds it by name after that', async () => {
    const s = await startShopApp({ engine });
    try {
      const responses = await Promise.all([1, 2, 3].map(() => s.app.deliver(aDelivery()).then((r) => r)));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(await s.shop('ProductAttribute').pluck('Name')).toEqual(['Roster']);
      expect(await s.shop('Product_ProductAttribute_Mapping').distinct('ProductAttributeId').pluck('ProductAttributeId')).toEqual([1]);
    } finally {
      await s.close();
    }
  });
});
