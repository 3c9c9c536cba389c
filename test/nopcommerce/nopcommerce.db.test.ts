import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { productLinkSchema } from '../../src/webhook/link';
import { aDelivery, checkoutOf, sampleDelivery } from '../factories/delivery';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { captureLogs } from '../helpers/logs';
import { NOP_ENGINES, nopFootprint, SHOP_BASE_URL, startShopApp, withSessionKilledAt, type NopEngine } from '../helpers/nopcommerce';

type Shop = Awaited<ReturnType<typeof startShopApp>>;

const EMPTY_SHOP = {
  Product: 0,
  UrlRecord: 0,
  StoreMapping: 0,
  Product_Category_Mapping: 0,
  Picture: 0,
  PictureBinary: 0,
  Product_Picture_Mapping: 0,
};

const productsOf = (shop: Knex, ids: number[]) => shop('Product').whereIn('Id', ids).orderBy('Id');
const countOf = async (shop: Knex, table: string) => Number((await shop(table).count({ n: '*' }))[0]!.n);
const idsIn = (body: { lines: Array<{ nopProductId?: number }> }) => body.lines.map((line) => line.nopProductId!);

const ADMIN_TOKEN = generateToken();
const asAdmin = (s: Shop, path: string) => s.app.http().post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`);

describe.each(NOP_ENGINES)('on %s', (engine: NopEngine) => {
  describe('a shop on nopCommerce 4.90 receiving the documentation sample', () => {
    const logs = captureLogs();
    let s: Shop;
    let response: Awaited<ReturnType<Shop['app']['deliver']>>;
    beforeAll(async () => {
      s = await startShopApp({ engine, settings: { categoryId: 1 }, logger: logs.logger, app: { adminToken: ADMIN_TOKEN } });
      response = await s.app.deliver(sampleDelivery());
    });
    afterAll(() => s.close());

    it('gets one product per size, with the ids and shop URLs in the product-link JSON', async () => {
      expect(response.status).toBe(200);
      expect(productLinkSchema.parse(response.body)).toEqual(response.body);
      const [first, second] = response.body.lines;
      const slugs = await s.shop('UrlRecord').orderBy('EntityId').select('Slug', 'EntityId', 'EntityName', 'IsActive', 'LanguageId');
      expect(slugs).toEqual([
        { Slug: expect.any(String), EntityId: first.nopProductId, EntityName: 'Product', IsActive: true, LanguageId: 0 },
        { Slug: expect.any(String), EntityId: second.nopProductId, EntityName: 'Product', IsActive: true, LanguageId: 0 },
      ]);
      expect(first.productUrl).toBe(`${SHOP_BASE_URL}/${slugs[0].Slug}`);
      expect(first.addToCartUrl).toBe(`${SHOP_BASE_URL}/addproducttocart/catalog/${first.nopProductId}/1/3`);
      expect(second.addToCartUrl).toBe(`${SHOP_BASE_URL}/addproducttocart/catalog/${second.nopProductId}/1/2`);
      for (const { Slug } of slugs) {
        expect(Slug.length).toBeLessThanOrEqual(200);
        expect(Slug).toMatch(/^category-name-product-name-design-name-x-5-1\d{2}cm-[0-9a-f]{16}-[12]$/);
      }
    });

    it('prices, taxes and names each product from its line, sellable but hidden from the catalog', async () => {
      const [taxable, exempt] = await productsOf(s.shop, idsIn(response.body));
      const common = {
        ProductTypeId: 5,
        VisibleIndividually: false,
        Published: true,
        Deleted: false,
        ShowOnHomepage: false,
        MarkAsNew: false,
        ManageInventoryMethodId: 0,
        CustomerEntersPrice: false,
        IsRental: false,
        AllowedQuantities: null,
        DisableBuyButton: false,
        LimitedToStores: false,
        ProductTemplateId: 1,
        // UnitWeight 1.5 (kg, the default KITBUILDER_WEIGHT_UNIT) in a default install's base unit, lb
      Weight: '3.3069',
        AgeVerification: false,
      };
      expect(taxable).toMatchObject({
        ...common,
        Name: 'Category Name Product Name Design Name. (x 5) - 128cm',
        Price: '119.5000',
        IsTaxExempt: false,
        TaxCategoryId: 1,
        // the print run: no other quantity can be ordered
        OrderMinimumQuantity: 3,
        OrderMaximumQuantity: 3,
      });
      expect(exempt).toMatchObject({
        ...common,
        Name: expect.stringMatching(/ - 152cm$/),
        IsTaxExempt: true,
        TaxCategoryId: 0,
        OrderMinimumQuantity: 2,
        OrderMaximumQuantity: 2,
      });
    });

    it('describes each product briefly with the kit link, leaving the roster to the order line', async () => {
      const [taxable, exempt] = await productsOf(s.shop, idsIn(response.body));
      expect(taxable.FullDescription).toBe(
        `<p>Category Name Product Name Design Name. (x 5): 3 × 128cm</p><p>The names and numbers to print are in the Roster of the order line.</p><p><a href="${response.body.url}">Kit details</a></p>`,
      );
      expect(exempt.FullDescription).not.toContain('Name 1');
    });

    it('stores the picture bytes once in PictureBinary and maps both products to it', async () => {
      const pictures = await s.shop('Picture').select();
      expect(pictures).toEqual([expect.objectContaining({ MimeType: 'image/png', IsNew: true })]);
      const binary = await s.shop('PictureBinary').where({ PictureId: pictures[0].Id }).first();
      expect(binary.BinaryData).toEqual(Buffer.from(checkoutOf(sampleDelivery()).MainImage, 'base64'));
      const mapped = await s.shop('Product_Picture_Mapping').orderBy('ProductId').pluck('ProductId');
      expect(mapped).toEqual(idsIn(response.body));
    });

    it('files the products under the configured category and maps no store in a one-store shop', async () => {
      expect(await s.shop('Product_Category_Mapping').orderBy('ProductId').pluck('ProductId')).toEqual(idsIn(response.body));
      expect(await countOf(s.shop, 'StoreMapping')).toBe(0);
    });

    it('returns the same nopCommerce ids for a duplicate delivery, creating nothing', async () => {
      const before = await nopFootprint(s.shop);
      const again = await s.app.deliver(sampleDelivery());
      expect(again.status).toBe(200);
      expect(again.body).toEqual(response.body);
      expect(await nopFootprint(s.shop)).toEqual(before);
    });

    it('answers 503 when nopCommerce drops the connection mid-delivery, leaves nothing, and a retry succeeds', async () => {
      const before = await nopFootprint(s.shop);
      const kitsBefore = await s.app.footprint();
      const delivery = aDelivery({ MainImage: checkoutOf(sampleDelivery()).MainImage });
      logs.lines.splice(0);
      // The shop's server ends the adapter's session after the product and its slug are written.
      const failed = await withSessionKilledAt(s.nop, 'Product_Picture_Mapping', () => s.app.deliver(delivery).then((r) => r));
      expect(failed.status).toBe(503);
      expect(failed.headers['retry-after']).toBe('30');
      expect(failed.body).toMatchObject({ code: 'catalog-unavailable' });
      expect(await nopFootprint(s.shop)).toEqual(before);
      expect(await s.app.footprint()).toEqual(kitsBefore);
      const [line] = logs.records();
      expect(line).toMatchObject({ level: 50, status: 503, problem: 'catalog-unavailable', err: { message: expect.any(String) } });

      const retried = await s.app.deliver(delivery);
      expect(retried.status).toBe(200);
      expect((await nopFootprint(s.shop)).Product).toBe(before.Product + 1);
    });

    it('answers 500 catalog-refused when nopCommerce refuses a row, leaves nothing, records the cause, and replays once it is fixed', async () => {
      await s.shop.raw('alter table ?? add constraint no_big_prices check (?? < 1000)', ['Product', 'Price']);
      const before = await nopFootprint(s.shop);
      const kitsBefore = await s.app.footprint();
      const delivery = aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }, { Name: 'XL', Quantity: 1, CartPrice: 5000 }] });
      const failed = await s.app.deliver(delivery);
      expect(failed.status).toBe(500);
      expect(failed.headers['retry-after']).toBeUndefined();
      expect(failed.body).toMatchObject({ code: 'catalog-refused', detail: expect.stringContaining('no_big_prices') });
      expect(await nopFootprint(s.shop)).toEqual(before);
      expect(await s.app.footprint()).toEqual(kitsBefore);
      const [logged] = await s.app.db('deliveries').where({ outcome: 'failed', status: 500 }).select('id', 'problem');
      expect(logged.problem).toMatchObject({ code: 'catalog-refused', detail: expect.stringContaining('no_big_prices') });
      const metrics = await s.app.http().get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
      expect(metrics.text).toContain('kitbridge_delivery_failures_total{outcome="failed",code="catalog-refused"} 1');

      await s.shop.raw('alter table ?? drop constraint no_big_prices', ['Product']);
      const replayed = await asAdmin(s, `/admin/deliveries/${logged.id}/replay`);
      expect(replayed.status).toBe(200);
      expect((await nopFootprint(s.shop)).Product).toBe(before.Product + 2);
    });
  });

  it('finishes a delivery whose kitbridge commit failed after nopCommerce committed, without duplicating products', async () => {
    const s = await startShopApp({ engine });
    try {
      // kitbridge's own database fails right after the nopCommerce transaction committed.
      await s.app.db.raw(`
        create function fail_once() returns trigger language plpgsql as $$
        begin raise exception 'injected: kitbridge database lost' using errcode = '57P01'; end $$`);
      await s.app.db.raw(
        'create trigger fail_once before insert on kit_line_nop_products for each statement execute function fail_once()',
      );
      const delivery = aDelivery({ sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 1 }] });
      const failed = await s.app.deliver(delivery);
      expect(failed.status).toBe(503);
      expect(await s.app.footprint()).toMatchObject({ kits: 0, lines: 0 });
      const orphans = await s.shop('Product').orderBy('Id').pluck('Id');
      expect(orphans).toHaveLength(2);

      await s.app.db.raw('drop trigger fail_once on kit_line_nop_products');
      const retried = await s.app.deliver(delivery);
      expect(retried.status).toBe(200);
      expect(idsIn(retried.body)).toEqual(orphans);
      expect(await nopFootprint(s.shop)).toMatchObject({ Product: 2, UrlRecord: 2 });
    } finally {
      await s.close();
    }
  });

  describe.each(['4.60', '4.70', '4.80'] as const)('a shop on nopCommerce %s', (version) => {
    let s: Shop;
    beforeAll(async () => {
      s = await startShopApp({ engine, version, settings: { version } });
    });
    afterAll(() => s.close());

    it('gets every product column its version requires', async () => {
      const response = await s.app.deliver(sampleDelivery());
      expect(response.status).toBe(200);
      const [product] = await productsOf(s.shop, idsIn(response.body));
      expect(product).toMatchObject({ Price: '119.5000', VisibleIndividually: false, OrderMaximumQuantity: 3 });
      expect('AgeVerification' in product).toBe(false);
    });
  });

  it('refuses to write, with a 500 catalog-refused and a log line, when NOPCOMMERCE_VERSION does not match the database', async () => {
    const logs = captureLogs();
    const s = await startShopApp({ engine, version: '4.80', settings: { version: '4.90' }, logger: logs.logger });
    try {
      const response = await s.app.deliver(aDelivery());
      expect(response.status).toBe(500);
      expect(response.body).toMatchObject({ code: 'catalog-refused' });
      expect(logs.records()[0].err.message).toBe("NOPCOMMERCE_VERSION is 4.90 but the database has 4.80's columns");
      expect(await nopFootprint(s.shop)).toEqual(EMPTY_SHOP);
    } finally {
      await s.close();
    }
  });

  describe('a multi-store shop that keeps pictures on disk, written with only the documented permissions', () => {
    let s: Shop;
    let pictureDir: string;
    const keepPicturesOnDisk = async (shop: Knex) => {
      await shop('Setting').where({ Name: 'media.images.storeindb' }).update({ Value: 'False' });
      const store = await shop('Store').where({ Id: 1 }).first();
      await shop('Store').insert({ ...store, Id: 2, Name: 'Second store' });
    };
    beforeAll(async () => {
      pictureDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nop-images-'));
      s = await startShopApp({ engine, prepare: keepPicturesOnDisk, settings: { storeId: 2, pictureDir }, restricted: true });
    });
    afterAll(async () => {
      await s.close();
      await fs.rm(pictureDir, { recursive: true, force: true });
    });

    it('limits the products to the configured store and writes the picture file nopCommerce will look for', async () => {
      const response = await s.app.deliver(sampleDelivery());
      expect(response.status).toBe(200);
      const ids = idsIn(response.body);
      expect(await productsOf(s.shop, ids).pluck('LimitedToStores')).toEqual([true, true]);
      expect(await s.shop('StoreMapping').orderBy('EntityId').select('EntityName', 'StoreId', 'EntityId')).toEqual(
        ids.map((id) => ({ EntityName: 'Product', StoreId: 2, EntityId: id })),
      );
      const picture = await s.shop('Picture').first();
      expect(await countOf(s.shop, 'PictureBinary')).toBe(0);
      const file = path.join(pictureDir, `${String(picture.Id).padStart(7, '0')}_0.png`);
      expect(await fs.readFile(file)).toEqual(Buffer.from(checkoutOf(sampleDelivery()).MainImage, 'base64'));
    });
  });

  it('skips the picture with a warning when the shop keeps pictures on disk and no directory is configured', async () => {
    const s = await startShopApp({ engine,
      prepare: (shop) => shop('Setting').where({ Name: 'media.images.storeindb' }).update({ Value: 'False' }),
    });
    try {
      const response = await s.app.deliver(sampleDelivery());
      expect(response.status).toBe(200);
      expect(response.body.warnings).toContain(
        'The picture was not written to nopCommerce: the shop keeps pictures on disk and NOPCOMMERCE_PICTURE_DIR is not set.',
      );
      expect(await nopFootprint(s.shop)).toMatchObject({ Product: 2, Picture: 0, Product_Picture_Mapping: 0 });
    } finally {
      await s.close();
    }
  });

  it(
    engine === 'mysql'
      ? 'writes an emoji that utf8mb3 columns cannot hold as U+FFFD, with a warning, instead of failing every retry'
      : 'writes an emoji as sent: PostgreSQL and SQL Server store all of Unicode',
    async () => {
      const s = await startShopApp({ engine });
      try {
        const response = await s.app.deliver(
          aDelivery({ Name: 'Kit 🦄', sizes: [{ Name: 'M', Quantity: 1 }], teams: [{ Name: 'Team', Units: [{ Name: 'Mia 🦄', Number: '9', Size: 'M' }] }] }),
        );
        expect(response.status).toBe(200);
        const [product] = await productsOf(s.shop, idsIn(response.body));
        const emojiWarning = expect.stringContaining('cannot hold characters such as emoji');
        if (engine === 'mysql') {
          expect(product.Name).toBe('Kit \uFFFD - M');
          const roster = await s.shop('ProductAttributeValue').orderBy('Id').pluck('Name');
          expect(roster[1]).toBe('Team – #9 – Mia \uFFFD');
          expect(response.body.warnings).toContainEqual(emojiWarning);
          // kitbridge's own kit keeps the name as sent
          expect((await s.app.http().get(`/products/${response.body.id}`)).text).toContain('Mia 🦄');
        } else {
          expect(product.Name).toBe('Kit 🦄 - M');
          expect(response.body.warnings).not.toContainEqual(emojiWarning);
        }
      } finally {
        await s.close();
      }
    },
  );

  it('sells a kit named with a letter outside the Basic Multilingual Plane, its slug as nopCommerce makes it (without the letter)', async () => {
    const s = await startShopApp({ engine });
    try {
      const response = await s.app.deliver(aDelivery({ Name: '𠮷田 FC', sizes: [{ Name: 'M', Quantity: 1 }] }));
      expect(response.status).toBe(200);
      const [product] = await productsOf(s.shop, idsIn(response.body));
      expect(product.Name).toBe(engine === 'mysql' ? '\uFFFD田 FC - M' : '𠮷田 FC - M');
      expect(await s.shop('UrlRecord').pluck('Slug')).toEqual([expect.stringMatching(/^田-fc-m-[0-9a-f]{16}-1$/)]);
      // A retry of the same delivery finds the product by that slug.
      expect((await s.app.deliver(aDelivery({ Name: '𠮷田 FC', sizes: [{ Name: 'M', Quantity: 1 }] }))).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('writes weights in the shop’s base weight unit and slugs by the shop’s SEO settings, read for each delivery', async () => {
    const s = await startShopApp({ engine, settings: { weightUnit: 'g' } });
    try {
      const kit = aDelivery({ Name: 'Ølstykke FC', UnitWeight: 250, sizes: [{ Name: 'M', Quantity: 1 }] });
      const onInstall = (await s.app.deliver(kit)).body;
      // Now as a metric shop (kg the base unit, with the ratios a metric install writes, schema-attributes.sql)
      // whose owner turned transliteration on and unicode URLs off.
      for (const [keyword, Ratio] of [['ounce', 35.274], ['lb', 2.20462], ['kg', 1], ['grams', 1000]] as const) {
        await s.shop('MeasureWeight').where({ SystemKeyword: keyword }).update({ Ratio });
      }
      await s.shop('Setting').where({ Name: 'measuresettings.baseweightid' }).update({ Value: '3' });
      await s.shop('Setting').where({ Name: 'seosettings.convertnonwesternchars' }).update({ Value: 'True' });
      await s.shop('Setting').where({ Name: 'seosettings.allowunicodecharsinurls' }).update({ Value: 'False' });
      const afterwards = (await s.app.deliver(aDelivery({ Name: 'Ølstykke FC', UnitWeight: 250, sizes: [{ Name: 'M', Quantity: 1 }] }))).body;

      const [installed, metric] = await productsOf(s.shop, [...idsIn(onInstall), ...idsIn(afterwards)]);
      expect([installed.Weight, metric.Weight]).toEqual(['0.5512', '0.2500']);
      const slugs = await s.shop('UrlRecord').orderBy('Id').pluck('Slug');
      expect(slugs[0]).toMatch(/^ølstykke-fc-m-[0-9a-f]{16}-1$/);
      expect(slugs[1]).toMatch(/^olstykke-fc-m-[0-9a-f]{16}-1$/);
    } finally {
      await s.close();
    }
  });
});
