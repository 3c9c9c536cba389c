import { promises as fs } from 'node:fs';
import path from 'node:path';
import { knex, type Knex } from 'knex';
import type { KitDraft, LineDraft, ShopProduct } from '../kits/draft';
import { AppError } from '../http/errors';
import type { Dialect } from './dialects/dialect';
import { orderedProductIds, orderOf, ordersOf, retireProducts, type ProductOrder, type ShopOrder } from './orders';
import { dialectFor } from './dialects';
import { createOrderFeed, type OrderFeed } from './order-feed';
import { productRow } from './product';
import { READONLY_CHECKBOXES, ROSTER_ATTRIBUTE, rosterValues } from './roster';
import { fitRow, isNullable, readNopSchema, type NopSchema, type NopVersion } from './schema';
import { readShopSettings, toBaseWeight, type WeightUnit } from './settings';
import { lineSlug, pictureFileName } from './slug';
import { bmpScrubber } from './text';

export interface NopCommerceSettings {
  databaseUrl: string;
  storeId: number;
  taxCategoryId: number;
  categoryId?: number;
  /** when set, the database must have this version's columns */
  version?: NopVersion;
  /** the shop's wwwroot/images, for shops that keep pictures on disk */
  pictureDir?: string;
  /** the unit of Kit Builder's UnitWeight (KITBUILDER_WEIGHT_UNIT); default kg */
  weightUnit?: WeightUnit;
}

export interface PublishInput {
  draft: KitDraft;
  /** kitbridge's public id of the kit, and its page: the roster names them so staff can open the kit */
  kitId: string;
  kitUrl: string;
  deliveryHash: string;
  image: Buffer | null;
}

/** The product that sells the line at `position`. */
export type PublishedLine = { position: number } & ShopProduct;

export type { ProductOrder };

export interface CatalogAdapter {
  /** Creates (or, for a retried delivery, finds) one nopCommerce product per line, in one nopCommerce transaction. */
  publish(input: PublishInput): Promise<{ lines: PublishedLine[]; warnings: string[] }>;
  /** Which of these products some order refers to ("OrderItem"): those kits must be kept. */
  orderedProductIds(productIds: number[]): Promise<Set<number>>;
  /** For the operator's health page: the shop's database answers now; its nopCommerce version. Throws if not. */
  checkConnection(): Promise<{ version: string }>;
  /** The orders these products appear in, oldest first. */
  ordersOf(productIds: number[]): Promise<ProductOrder[]>;
  /** One order with its lines and the roster each carries (the print sheet of an order); undefined if there is none. */
  order(orderId: number): Promise<ShopOrder | undefined>;
  /**
   * Retires the products of removed kits: those kitbridge wrote and no order refers to are soft-deleted, as
   * nopCommerce's admin deletes a product, and lose their roster values and descriptions; ordered ones are left
   * alone and returned, so their kits can be kept.
   */
  retire(productIds: number[]): Promise<{ retired: number[]; ordered: number[] }>;
  /** The shop's orders as the print queue follows them. */
  orderFeed: OrderFeed;
  close(): Promise<void>;
}

// nopCommerce stores timestamps as UTC in columns without a time zone.
const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/**
 * A failure of the shop's database as the webhook answers it: one that passes by itself is 503 with
 * Retry-After (Kit Builder retries); any other is recorded as failed with its cause, for the operator to fix
 * and replay. The cause is the database's own message: it names the table, column or rule.
 */
export function catalogFailure(dialect: Dialect, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (dialect.isTransient(error)) return new AppError('catalog-unavailable', undefined, { cause: error });
  const message = String((error as Error | null)?.message ?? error).slice(0, 500);
  return new AppError('catalog-refused', `nopCommerce refused the write: ${message}`, { cause: error });
}

export function createNopCommerceCatalog(settings: NopCommerceSettings): CatalogAdapter {
  const dialect = dialectFor(settings.databaseUrl);
  const db = knex({
    ...dialect.knexConfig(settings.databaseUrl),
    acquireConnectionTimeout: 5_000,
    pool: { min: 0, max: 5 },
    // Failures reach the caller as an error answer whose log line carries the cause; knex need not print them too.
    log: { error: () => undefined, warn: () => undefined },
    // Never put the statement's values (players' names) into an error message: it is logged and answered.
    compileSqlOnError: false,
  });
  // knex prefixes the database's message with the statement; keep the statement apart, the message as the database said it.
  db.on('query-error', (error: Error & { sql?: string }, query: { sql?: string }) => {
    if (query.sql && error.message.startsWith(`${query.sql} - `)) {
      error.message = error.message.slice(query.sql.length + 3);
      error.sql = query.sql;
    }
  });
  let schema: Promise<NopSchema> | undefined;

  // Read once, on first use, so kitbridge starts even while the shop's database is down.
  const loadSchema = () => {
    schema ??= readNopSchema(db, dialect).then(checkVersion);
    return schema;
  };

  function checkVersion(found: NopSchema): NopSchema {
    if (settings.version && settings.version !== found.version) {
      throw new Error(`NOPCOMMERCE_VERSION is ${settings.version} but the database has ${found.version}'s columns`);
    }
    return found;
  }

  async function publish(input: PublishInput) {
    const writtenFiles: string[] = [];
    try {
      return await write(input, await loadSchema(), writtenFiles);
    } catch (error) {
      await Promise.all(writtenFiles.map((file) => fs.rm(file, { force: true })));
      // Read the shop's schema again next time: the operator may have fixed (or upgraded) it meanwhile.
      schema = undefined;
      throw catalogFailure(dialect, error);
    }
  }

  async function write(input: PublishInput, nop: NopSchema, writtenFiles: string[]) {
    const { draft, deliveryHash, image } = input;
    const warnings: string[] = [];
    const writePicture = image && (nop.picturesInDatabase || settings.pictureDir);
    if (image && !writePicture) {
      warnings.push('The picture was not written to nopCommerce: the shop keeps pictures on disk and NOPCOMMERCE_PICTURE_DIR is not set.');
    }
    const text = bmpScrubber(nop.bmpOnly);
    const rosterAttributeId = await findOrCreateRosterAttribute();
    // Two attempts at the same delivery (a retry racing a slow first try) take turns here.
    const lines = await dialect.lockedTransaction(db, `kitbridge:${deliveryHash}`, async (trx) => {
      const shop = await readShopSettings(trx, settings.storeId);
      const weight = toBaseWeight(draft.unitWeight ?? 0, settings.weightUnit ?? 'kg', shop);
      const published: PublishedLine[] = [];
      let pictureId: number | undefined;
      for (const line of draft.lines) {
        // A retry finds the earlier attempt's products by this slug (it assumes the shop's SEO settings did not change meanwhile).
        const slug = lineSlug(draft.name, line.size, deliveryHash, line.position, { seo: shop.seo, version: nop.version });
        const existing = await trx('UrlRecord').where({ EntityName: 'Product', Slug: slug }).first('EntityId');
        if (existing) {
          published.push({ position: line.position, productId: Number(existing.EntityId), slug });
          continue;
        }
        const productId = await insertProduct(trx, nop, text.row, { ...input, line, slug, weight, rosterAttributeId });
        if (writePicture) {
          pictureId ??= await insertPicture(trx, nop, image, pictureFileName(draft.name, nop.version), writtenFiles);
          await trx('Product_Picture_Mapping').insert({ PictureId: pictureId, ProductId: productId, DisplayOrder: 0 });
        }
        published.push({ position: line.position, productId, slug });
      }
      return published;
    });
    return { lines, warnings: [...warnings, ...text.warnings()] };
  }

  /**
   * The one "Roster" ProductAttribute all kits share, found by name, created the first time. Its own short
   * transaction, under a lock, so that concurrent first deliveries create it once; a shared row without
   * mappings is harmless if the delivery then fails.
   */
  async function findOrCreateRosterAttribute(): Promise<number> {
    const find = async (q: Knex) => (await q('ProductAttribute').where({ Name: ROSTER_ATTRIBUTE.Name }).orderBy('Id').first('Id'))?.Id;
    const found = await find(db);
    if (found !== undefined) return Number(found);
    return dialect.lockedTransaction(db, 'kitbridge:roster-attribute', async (trx) => {
      const again = await find(trx);
      return again !== undefined ? Number(again) : dialect.insertId(trx, 'ProductAttribute', ROSTER_ATTRIBUTE);
    });
  }

  /**
   * The product of one line with its slug, its roster attribute (one mapping, its values pre-selected and
   * read-only), and its store and category mappings where the shop needs them. All in the delivery's
   * transaction: nopCommerce caches a product's attribute list, an empty one too, so a product must never be
   * visible without its roster.
   */
  async function insertProduct(
    trx: Knex.Transaction,
    nop: NopSchema,
    storable: <T extends Record<string, unknown>>(row: T) => T,
    input: PublishInput & { line: LineDraft; slug: string; weight: string; rosterAttributeId: number },
  ): Promise<number> {
    const { draft, line, slug, weight, kitUrl, deliveryHash } = input;
    const row = productRow(
      draft,
      line,
      {
        kitUrl,
        marker: `kitbridge:${deliveryHash}:${line.position}`,
        now: utcNow(),
        weight,
      },
      { taxCategoryId: settings.taxCategoryId, templateId: nop.simpleTemplateId, limitedToStores: nop.multiStore },
    );
    const productId = await dialect.insertId(trx, 'Product', storable(fitRow(nop, 'Product', row)));
    await trx('UrlRecord').insert({ EntityName: 'Product', Slug: slug, EntityId: productId, IsActive: true, LanguageId: 0 });
    const mappingId = await dialect.insertId(
      trx,
      'Product_ProductAttribute_Mapping',
      fitRow(nop, 'Product_ProductAttribute_Mapping', {
        ProductAttributeId: input.rosterAttributeId,
        ProductId: productId,
        TextPrompt: null,
        // Not required: nopCommerce adds read-only values by itself, and a required attribute could only block a sale.
        IsRequired: false,
        AttributeControlTypeId: READONLY_CHECKBOXES,
        DisplayOrder: 0,
        ValidationMinLength: null,
        ValidationMaxLength: null,
        ValidationFileAllowedExtensions: null,
        ValidationFileMaximumSize: null,
        DefaultValue: null,
        ConditionAttributeXml: null,
      }),
    );
    // No picture: NULL where the column takes it (4.70 on), else 0 (4.60); the same for every value.
    const noPicture = isNullable(nop, 'ProductAttributeValue', 'PictureId') ? null : 0;
    const values = rosterValues(draft, line, input).map((name, position) =>
      storable(
        fitRow(nop, 'ProductAttributeValue', {
          Name: name,
          ColorSquaresRgb: null,
          ProductAttributeMappingId: mappingId,
          AttributeValueTypeId: 0, // Simple
          AssociatedProductId: 0,
          ImageSquaresPictureId: 0,
          // No price or weight of its own: the line shows "Roster: <value>" and nothing else.
          PriceAdjustment: 0,
          PriceAdjustmentUsePercentage: false,
          WeightAdjustment: 0,
          Cost: 0,
          CustomerEntersQty: false,
          Quantity: 1,
          IsPreSelected: true,
          DisplayOrder: position,
          PictureId: noPicture,
        }),
      ),
    );
    await trx('ProductAttributeValue').insert(values);
    if (nop.multiStore) {
      await trx('StoreMapping').insert({ EntityName: 'Product', StoreId: settings.storeId, EntityId: productId });
    }
    if (settings.categoryId !== undefined) {
      await trx('Product_Category_Mapping').insert({
        CategoryId: settings.categoryId,
        ProductId: productId,
        IsFeaturedProduct: false,
        DisplayOrder: 0,
      });
    }
    return productId;
  }

  /** As PictureService.InsertPictureAsync does: a Picture row, and the bytes in PictureBinary or on disk. */
  async function insertPicture(trx: Knex.Transaction, nop: NopSchema, image: Buffer, seoFilename: string, written: string[]) {
    const pictureId = await dialect.insertId(trx, 'Picture', {
      MimeType: 'image/png',
      SeoFilename: seoFilename,
      AltAttribute: null,
      TitleAttribute: null,
      IsNew: true,
      VirtualPath: null,
    });
    if (nop.picturesInDatabase) {
      await trx('PictureBinary').insert({ PictureId: pictureId, BinaryData: image });
    } else {
      // PictureService.SavePictureInFileAsync names the original "{id:0000000}_0.{extension}".
      const file = path.join(settings.pictureDir!, `${String(pictureId).padStart(7, '0')}_0.png`);
      written.push(file);
      await fs.writeFile(file, image, { flag: 'wx' });
    }
    return pictureId;
  }

  /** Failures of the shop's database answer as they do for deliveries: transient or refused. */
  const answering =
    <A extends unknown[], R>(run: (db: Knex, ...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await run(db, ...args);
      } catch (error) {
        throw catalogFailure(dialect, error);
      }
    };

  async function checkConnection() {
    await db.raw('select 1');
    return { version: (await loadSchema()).version };
  }

  return {
    publish,
    checkConnection,
    orderedProductIds: answering(orderedProductIds),
    ordersOf: answering(ordersOf),
    order: answering(orderOf),
    retire: answering(retireProducts),
    orderFeed: createOrderFeed(db),
    close: () => db.destroy(),
  };
}
