import type { Knex } from 'knex';
import type { Dialect } from './dialects/dialect';
import { isBmpOnly } from './text';

/** The nopCommerce versions whose "Product" columns kitbridge knows (docs/nopcommerce/VERSIONS.md). */
export const NOP_VERSIONS = ['4.60', '4.70', '4.80', '4.90'] as const;
export type NopVersion = (typeof NOP_VERSIONS)[number];

export interface NopSchema {
  version: NopVersion;
  /** columns of "Product" as this database has them */
  productColumns: Set<string>;
  /** NOT NULL columns of "Product" without a default: every INSERT must give them */
  requiredProductColumns: string[];
  simpleTemplateId: number;
  /** more than one store: kits are limited to the configured store */
  multiStore: boolean;
  picturesInDatabase: boolean;
  /** the text columns hold the Basic Multilingual Plane only (MySQL utf8mb3): no emoji */
  bmpOnly: boolean;
}

/** Tells the version from the columns that changed between releases. */
export function versionFromColumns(columns: Set<string>): NopVersion {
  if (columns.has('AgeVerification')) return '4.90';
  if (!columns.has('HasTierPrices')) return '4.80';
  if (columns.has('DisplayAttributeCombinationImagesOnly')) return '4.70';
  return '4.60';
}

/** Reads what the writer needs to know about a shop's database. */
export async function readNopSchema(db: Knex, dialect: Dialect): Promise<NopSchema> {
  const columns = await dialect.columns(db, 'Product');
  if (columns.length === 0) throw new Error('the nopCommerce database has no "Product" table');
  const productColumns = new Set(columns.map((c) => c.name));
  const template = await db('ProductTemplate').where({ ViewPath: 'ProductTemplate.Simple' }).first('Id');
  const stores = await db('Store').where({ Deleted: false }).count({ n: '*' });
  // Setting names are stored lower-cased (SettingService), and compared case-insensitively on every engine.
  const storeInDb = await db('Setting').where({ Name: 'media.images.storeindb' }).first('Value');
  return {
    version: versionFromColumns(productColumns),
    productColumns,
    requiredProductColumns: columns.filter((c) => !c.nullable && !c.hasDefault).map((c) => c.name),
    simpleTemplateId: template ? Number(template.Id) : 1,
    multiStore: Number(stores[0]!.n) > 1,
    // PictureService.IsStoreInDbAsync defaults to true when the setting is absent.
    picturesInDatabase: storeInDb ? String(storeInDb.Value).toLowerCase() === 'true' : true,
    bmpOnly: columns.some((c) => isBmpOnly(c.charset)),
  };
}
