import type { Knex } from 'knex';
import type { ColumnInfo, Dialect } from './dialects/dialect';
import { isBmpOnly } from './text';

/** The nopCommerce versions whose "Product" columns kitbridge knows (docs/nopcommerce/VERSIONS.md). */
export const NOP_VERSIONS = ['4.60', '4.70', '4.80', '4.90'] as const;
export type NopVersion = (typeof NOP_VERSIONS)[number];

/** The tables whose columns change between releases; kitbridge writes them row by row, from what the database has. */
const VERSIONED_TABLES = ['Product', 'Product_ProductAttribute_Mapping', 'ProductAttributeValue'] as const;
type VersionedTable = (typeof VERSIONED_TABLES)[number];

export interface NopSchema {
  version: NopVersion;
  /** the columns of each versioned table as this database has them */
  columns: Record<VersionedTable, ColumnInfo[]>;
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

/**
 * A row as this database takes it: the columns it has, from a row that names every column any of 4.60-4.90
 * has. A NOT NULL column without a default that the row does not name is a release kitbridge does not know.
 */
export function fitRow(nop: NopSchema, table: VersionedTable, row: Record<string, unknown>): Record<string, unknown> {
  const { names, required } = shapeOf(nop.columns[table]);
  const missing = required.filter((name) => !(name in row));
  if (missing.length) throw new Error(`"${table}" requires columns kitbridge does not know: ${missing.join(', ')}`);
  return Object.fromEntries(Object.entries(row).filter(([column]) => names.has(column)));
}

/** A table's column names, and those a row must name (NOT NULL without a default); worked out once per table read. */
interface TableShape {
  names: Set<string>;
  required: string[];
}
const shapes = new WeakMap<ColumnInfo[], TableShape>();

function shapeOf(columns: ColumnInfo[]): TableShape {
  let shape = shapes.get(columns);
  if (!shape) {
    shape = {
      names: new Set(columns.map((c) => c.name)),
      required: columns.filter((c) => !c.nullable && !c.hasDefault).map((c) => c.name),
    };
    shapes.set(columns, shape);
  }
  return shape;
}

/** Whether a column takes NULL here (ProductAttributeValue.PictureId: NOT NULL in 4.60, nullable since 4.70). */
export const isNullable = (nop: NopSchema, table: VersionedTable, column: string) =>
  nop.columns[table].find((c) => c.name === column)?.nullable ?? true;

/** Reads what the writer needs to know about a shop's database. */
export async function readNopSchema(db: Knex, dialect: Dialect): Promise<NopSchema> {
  const columns = Object.fromEntries(
    await Promise.all(VERSIONED_TABLES.map(async (table) => [table, await dialect.columns(db, table)] as const)),
  ) as NopSchema['columns'];
  for (const table of VERSIONED_TABLES) {
    if (columns[table].length === 0) throw new Error(`the nopCommerce database has no "${table}" table`);
  }
  const template = await db('ProductTemplate').where({ ViewPath: 'ProductTemplate.Simple' }).first('Id');
  const stores = await db('Store').where({ Deleted: false }).count({ n: '*' });
  // Setting names are stored lower-cased (SettingService), and compared case-insensitively on every engine.
  const storeInDb = await db('Setting').where({ Name: 'media.images.storeindb' }).first('Value');
  return {
    version: versionFromColumns(new Set(columns.Product.map((c) => c.name))),
    columns,
    simpleTemplateId: template ? Number(template.Id) : 1,
    multiStore: Number(stores[0]!.n) > 1,
    // PictureService.IsStoreInDbAsync defaults to true when the setting is absent.
    picturesInDatabase: storeInDb ? String(storeInDb.Value).toLowerCase() === 'true' : true,
    bmpOnly: VERSIONED_TABLES.some((table) => columns[table].some((c) => isBmpOnly(c.charset))),
  };
}
