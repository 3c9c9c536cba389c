import { promises as fs } from 'node:fs';
import path from 'node:path';
import { knex, type Knex } from 'knex';
import type { KitDraft, LineDraft, ShopProduct } from '../kits/draft';
import { AppError } from '../http/errors';
import type { Dialect } from './dialects/dialect';
import { dialectFor } from './dialects';
import { productRow } from './product';
import { readNopSchema, type NopSchema, type NopVersion } from './schema';
import { lineSlug, slugify } from './slug';
import { storableText } from './text';

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

  async function write({ draft, deliveryHash, kitUrl, image }: PublishInput, nop: NopSchema, writtenFiles: string[]) {
    const warnings: string[] = [];
    const writePicture = image && (nop.picturesInDatabase || settings.pictureDir);
    if (image && !writePicture) {
      warnings.push('The picture was not written to nopCommerce: the shop keeps pictures on disk and NOPCOMMERCE_PICTURE_DIR is not set.');
    }
    const text = storableText(nop.bmpOnly);
    // Two attempts at the same delivery (a retry racing a slow first try) take turns here.
    const lines = await dialect.lockedTransaction(db, `kitbridge:${deliveryHash}`, async (trx) => {
      const published: PublishedLine[] = [];
      let pictureId: number | undefined;
      for (const line of draft.lines) {
        const slug = lineSlug(draft.name, line.size, deliveryHash, line.position);
        const existing = await trx('UrlRecord').where({ EntityName: 'Product', Slug: slug }).first('EntityId');
        if (existing) {
          published.push({ position: line.position, productId: Number(existing.EntityId), slug });
          continue;
        }
        const productId = await insertProduct(trx, nop, text.row, { draft, line, slug, kitUrl, deliveryHash });
        if (writePicture) {
          pictureId ??= await insertPicture(trx, nop, image, draft.name, writtenFiles);
          await trx('Product_Picture_Mapping').insert({ PictureId: pictureId, ProductId: productId, DisplayOrder: 0 });
        }
        published.push({ position: line.position, productId, slug });
      }
      return published;
    });
    return { lines, warnings: [...warnings, ...text.warnings()] };
  }

  /** The product of one line with its slug, and its store and category mappings where the shop needs them. */
  async function insertProduct(
    trx: Knex.Transaction,
    nop: NopSchema,
    storable: <T extends Record<string, unknown>>(row: T) => T,
    { draft, line, slug, kitUrl, deliveryHash }: { draft: KitDraft; line: LineDraft; slug: string; kitUrl: string; deliveryHash: string },
  ): Promise<number> {
    const row = productRow(
      draft,
      line,
      { kitUrl, marker: `kitbridge:${deliveryHash}:${line.position}`, now: utcNow() },
      { taxCategoryId: settings.taxCategoryId, templateId: nop.simpleTemplateId, limitedToStores: nop.multiStore },
    );
    const missing = nop.requiredProductColumns.filter((column) => column !== 'Id' && !(column in row));
    if (missing.length) throw new Error(`"Product" requires columns kitbridge does not know: ${missing.join(', ')}`);
    const productId = await dialect.insertId(
      trx,
      'Product',
      storable(Object.fromEntries(Object.entries(row).filter(([column]) => nop.productColumns.has(column)))),
    );
    await trx('UrlRecord').insert({ EntityName: 'Product', Slug: slug, EntityId: productId, IsActive: true, LanguageId: 0 });
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
  async function insertPicture(trx: Knex.Transaction, nop: NopSchema, image: Buffer, kitName: string, written: string[]) {
    const pictureId = await dialect.insertId(trx, 'Picture', {
      MimeType: 'image/png',
      SeoFilename: slugify(kitName).slice(0, 300) || 'kit',
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

  async function orderedProductIds(productIds: number[]): Promise<Set<number>> {
    if (productIds.length === 0) return new Set();
    const rows = await db('OrderItem').whereIn('ProductId', productIds).distinct('ProductId');
    return new Set(rows.map((row) => Number(row.ProductId)));
  }

  return { publish, orderedProductIds, close: () => db.destroy() };
}
