import { promises as fs } from 'node:fs';
import path from 'node:path';
import { knex, type Knex } from 'knex';
import type { KitDraft, LineDraft, ShopProduct } from '../kits/draft';
import { AppError } from '../http/errors';
import { productRow } from './product';
import { readNopSchema, type NopSchema, type NopVersion } from './schema';
import { lineSlug, slugify } from './slug';

export interface NopCommerceSettings {
  databaseUrl: string;
  storeId: number;
  taxCategoryId: number;
  categoryId?: number;
  /** when set, the database must have this version's columns */
  version?: NopVersion;
  /** the shop's wwwroot/images, for shops that keep pictures on disk */
  pictureDir?: string;
}

export interface PublishInput {
  draft: KitDraft;
  deliveryHash: string;
  kitUrl: string;
  image: Buffer | null;
}

/** The product that sells the line at `position`. */
export type PublishedLine = { position: number } & ShopProduct;

export interface CatalogAdapter {
  /** Creates (or, for a retried delivery, finds) one nopCommerce product per line, in one nopCommerce transaction. */
  publish(input: PublishInput): Promise<{ lines: PublishedLine[]; warnings: string[] }>;
  /** Which of these products some order refers to ("OrderItem"): those kits must be kept. */
  orderedProductIds(productIds: number[]): Promise<Set<number>>;
  /** For the operator's health page: the shop's database answers now; its nopCommerce version. Throws if not. */
  checkConnection(): Promise<{ version: string }>;
  close(): Promise<void>;
}

// nopCommerce stores timestamps as UTC in columns without a time zone.
const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

export function createNopCommerceCatalog(settings: NopCommerceSettings): CatalogAdapter {
  const db = knex({
    client: 'pg',
    connection: settings.databaseUrl,
    acquireConnectionTimeout: 5_000,
    pool: { min: 0, max: 5 },
    // Failures reach the caller as a 503 whose log line carries the cause; knex need not print them too.
    log: { error: () => undefined, warn: () => undefined },
  });
  let schema: Promise<NopSchema> | undefined;

  // Read once, on first use, so kitbridge starts even while the shop's database is down.
  const loadSchema = () => {
    schema ??= readNopSchema(db).then(checkVersion, (error) => {
      schema = undefined;
      throw error;
    });
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
      throw new AppError('catalog-unavailable', undefined, { cause: error });
    }
  }

  async function write({ draft, deliveryHash, kitUrl, image }: PublishInput, nop: NopSchema, writtenFiles: string[]) {
    const warnings: string[] = [];
    const writePicture = image && (nop.picturesInDatabase || settings.pictureDir);
    if (image && !writePicture) {
      warnings.push('The picture was not written to nopCommerce: the shop keeps pictures on disk and NOPCOMMERCE_PICTURE_DIR is not set.');
    }
    const lines = await db.transaction(async (trx) => {
      // Two attempts at the same delivery (a retry racing a slow first try) take turns here.
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`kitbridge:${deliveryHash}`]);
      const slugs = new Map(draft.lines.map((line) => [line.position, lineSlug(draft.name, line.size, deliveryHash, line.position)]));
      const found = await trx('UrlRecord').where({ EntityName: 'Product' }).whereIn('Slug', [...slugs.values()]).select('Slug', 'EntityId');
      const existing = new Map<string, number>(found.map((row) => [row.Slug, Number(row.EntityId)]));
      const missing = draft.lines.filter((line) => !existing.has(slugs.get(line.position)!));
      const created = await insertProducts(trx, nop, { draft, lines: missing, slugs, kitUrl, deliveryHash });
      if (writePicture && created.size > 0) {
        const pictureId = await insertPicture(trx, nop, image, draft.name, writtenFiles);
        await trx('Product_Picture_Mapping').insert(
          [...created.values()].map((productId) => ({ PictureId: pictureId, ProductId: productId, DisplayOrder: 0 })),
        );
      }
      return draft.lines.map((line): PublishedLine => {
        const slug = slugs.get(line.position)!;
        return { position: line.position, productId: existing.get(slug) ?? created.get(line.position)!, slug };
      });
    });
    return { lines, warnings };
  }

  /**
   * The products of these lines with their slugs, and their store and category mappings where the shop needs
   * them: one statement per table, however many lines (a kit may have dozens). Returns product ids by line position.
   */
  async function insertProducts(
    trx: Knex.Transaction,
    nop: NopSchema,
    { draft, lines, slugs, kitUrl, deliveryHash }: { draft: KitDraft; lines: LineDraft[]; slugs: Map<number, string>; kitUrl: string; deliveryHash: string },
  ): Promise<Map<number, number>> {
    if (lines.length === 0) return new Map();
    const marker = (line: LineDraft) => `kitbridge:${deliveryHash}:${line.position}`;
    const now = utcNow();
    const rows = lines.map((line) =>
      productRow(
        draft,
        line,
        { kitUrl, marker: marker(line), now },
        { taxCategoryId: settings.taxCategoryId, templateId: nop.simpleTemplateId, limitedToStores: nop.multiStore },
      ),
    );
    const missing = nop.requiredProductColumns.filter((column) => column !== 'Id' && !(column in rows[0]!));
    if (missing.length) throw new Error(`"Product" requires columns kitbridge does not know: ${missing.join(', ')}`);
    const inserted = await trx('Product')
      .insert(rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => nop.productColumns.has(column)))))
      .returning(['Id', 'AdminComment']);
    // Each product is told from the others by the marker its admin comment begins with.
    const byMarker = new Map(inserted.map((row) => [String(row.AdminComment).split('\n', 1)[0], Number(row.Id)]));
    const products = lines.map((line) => ({ line, productId: byMarker.get(marker(line))! }));
    await trx('UrlRecord').insert(
      products.map(({ line, productId }) => ({ EntityName: 'Product', Slug: slugs.get(line.position), EntityId: productId, IsActive: true, LanguageId: 0 })),
    );
    if (nop.multiStore) {
      await trx('StoreMapping').insert(products.map(({ productId }) => ({ EntityName: 'Product', StoreId: settings.storeId, EntityId: productId })));
    }
    if (settings.categoryId !== undefined) {
      const categoryId = settings.categoryId;
      await trx('Product_Category_Mapping').insert(
        products.map(({ productId }) => ({ CategoryId: categoryId, ProductId: productId, IsFeaturedProduct: false, DisplayOrder: 0 })),
      );
    }
    return new Map(products.map(({ line, productId }) => [line.position, productId]));
  }

  /** As PictureService.InsertPictureAsync does: a Picture row, and the bytes in PictureBinary or on disk. */
  async function insertPicture(trx: Knex.Transaction, nop: NopSchema, image: Buffer, kitName: string, written: string[]) {
    const [picture] = await trx('Picture')
      .insert({
        MimeType: 'image/png',
        SeoFilename: slugify(kitName).slice(0, 300) || 'kit',
        AltAttribute: null,
        TitleAttribute: null,
        IsNew: true,
        VirtualPath: null,
      })
      .returning('Id');
    const pictureId = Number(picture.Id);
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

  async function orderedProductIds(productIds: number[]): Promise<Set<number>> {
    if (productIds.length === 0) return new Set();
    const rows = await db('OrderItem').whereIn('ProductId', productIds).distinct('ProductId');
    return new Set(rows.map((row) => Number(row.ProductId)));
  }

  async function checkConnection() {
    await db.raw('select 1');
    return { version: (await loadSchema()).version };
  }

  return { publish, orderedProductIds, checkConnection, close: () => db.destroy() };
}
