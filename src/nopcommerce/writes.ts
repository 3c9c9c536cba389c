import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { LineDraft } from '../kits/draft';
import type { ShopDatabase } from './connection';
import { linePrice, productRow } from './product';
import type { Publication } from './publication';
import { READONLY_CHECKBOXES, ROSTER_ATTRIBUTE, rosterValues } from './roster';
import { fitRow, isNullable } from './schema';
import { pictureFileName } from './slug';

/** The rows one delivery writes into the shop, each step taking the shop's database and the delivery's publication. */

// nopCommerce stores timestamps as UTC in columns without a time zone.
const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/**
 * The one "Roster" ProductAttribute all kits share, found by name, created the first time. Its own short
 * transaction, under a lock, so that concurrent first deliveries create it once; a shared row without
 * mappings is harmless if the delivery then fails.
 */
export async function findOrCreateRosterAttribute({ db, dialect }: ShopDatabase): Promise<number> {
  const find = async (q: Knex) => (await q('ProductAttribute').where({ Name: ROSTER_ATTRIBUTE.Name }).orderBy('Id').first('Id'))?.Id;
  const found = await find(db);
  if (found !== undefined) return Number(found);
  return dialect.lockedTransaction(db, 'kitbridge:roster-attribute', async (trx) => {
    const again = await find(trx);
    return again !== undefined ? Number(again) : dialect.insertId(trx, 'ProductAttribute', ROSTER_ATTRIBUTE);
  });
}

/**
 * The product of one line with its slug, its roster attribute, and its store and category mappings where the
 * shop needs them. All in the delivery's transaction: nopCommerce caches a product's attribute list, an empty
 * one too, so a product must never be visible without its roster.
 */
export async function insertProduct(shop: ShopDatabase, trx: Knex.Transaction, p: Publication, line: LineDraft, slug: string): Promise<number> {
  const { settings } = shop;
  const row = productRow(
    p.draft,
    line,
    {
      kitUrl: p.kitUrl,
      marker: `kitbridge:${p.deliveryHash}:${line.position}`,
      now: utcNow(),
      weight: p.weight,
      price: linePrice(line, settings, p.shop),
    },
    { taxCategoryId: settings.taxCategoryId, templateId: p.nop.simpleTemplateId, limitedToStores: p.nop.multiStore },
  );
  const productId = await shop.dialect.insertId(trx, 'Product', p.text.row(fitRow(p.nop, 'Product', row)));
  await trx('UrlRecord').insert({ EntityName: 'Product', Slug: slug, EntityId: productId, IsActive: true, LanguageId: 0 });
  await insertRoster(shop, trx, p, line, productId);
  if (p.nop.multiStore) {
    await trx('StoreMapping').insert({ EntityName: 'Product', StoreId: settings.storeId, EntityId: productId });
  }
  if (settings.categoryId !== undefined) {
    await trx('Product_Category_Mapping').insert({ CategoryId: settings.categoryId, ProductId: productId, IsFeaturedProduct: false, DisplayOrder: 0 });
  }
  return productId;
}

/** The product's roster: one mapping to the shared attribute, its values pre-selected and read-only (roster.ts). */
async function insertRoster(shop: ShopDatabase, trx: Knex.Transaction, p: Publication, line: LineDraft, productId: number): Promise<void> {
  const mappingId = await shop.dialect.insertId(
    trx,
    'Product_ProductAttribute_Mapping',
    fitRow(p.nop, 'Product_ProductAttribute_Mapping', {
      ProductAttributeId: p.rosterAttributeId,
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
  const noPicture = isNullable(p.nop, 'ProductAttributeValue', 'PictureId') ? null : 0;
  const values = rosterValues(p.draft, line, p).map((name, position) =>
    p.text.row(
      fitRow(p.nop, 'ProductAttributeValue', {
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
  await insertAll(shop, trx, 'ProductAttributeValue', values);
}

/** Rows of one table, in as few statements as the engine's limit on bound values allows (a line may have 2,000 units). */
async function insertAll(shop: ShopDatabase, trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> {
  const perStatement = Math.max(1, Math.floor(shop.dialect.maxBindings / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  for (let start = 0; start < rows.length; start += perStatement) await trx(table).insert(rows.slice(start, start + perStatement));
}

/** As PictureService.InsertPictureAsync does: a Picture row, and the bytes in PictureBinary or on disk. */
export async function insertPicture(shop: ShopDatabase, trx: Knex.Transaction, p: Publication): Promise<number> {
  const pictureId = await shop.dialect.insertId(trx, 'Picture', {
    MimeType: 'image/png',
    SeoFilename: pictureFileName(p.draft.name, p.nop.version),
    AltAttribute: null,
    TitleAttribute: null,
    IsNew: true,
    VirtualPath: null,
  });
  if (p.nop.picturesInDatabase) {
    await trx('PictureBinary').insert({ PictureId: pictureId, BinaryData: p.image });
  } else {
    // PictureService.SavePictureInFileAsync names the original "{id:0000000}_0.{extension}".
    const file = path.join(shop.settings.pictureDir!, `${String(pictureId).padStart(7, '0')}_0.png`);
    p.files.push(file);
    await fs.writeFile(file, p.image!, { flag: 'wx' });
  }
  return pictureId;
}
