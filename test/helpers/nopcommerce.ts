import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import type { AppDeps } from '../../src/app';
import { createNopCommerceCatalog, type NopCommerceSettings } from '../../src/nopcommerce/adapter';
import type { NopVersion } from '../../src/nopcommerce/schema';
import { startTestApp } from './app';
import { createScratchDatabase } from './database';

/** The fixture is nopCommerce 4.90 as a fresh install creates it (copied from the nopCommerce facts the project was given; see docs/nopcommerce/). */
const SCHEMA_SQL = readFileSync(path.join(__dirname, '../fixtures/nopcommerce/schema.sql'), 'utf8');

/**
 * From 4.90 back to each older release, per docs/nopcommerce/VERSIONS.md. Columns added back are
 * NOT NULL without a default, as a fresh install of that release has them, so a writer must supply them.
 */
const DOWNGRADES: Array<{ to: NopVersion; sql: string }> = [
  {
    to: '4.80',
    sql: `ALTER TABLE "Product" DROP COLUMN "AgeVerification", DROP COLUMN "MinimumAgeToPurchase";
          ALTER TABLE "Category" ADD COLUMN "IncludeInTopMenu" boolean NOT NULL DEFAULT false;
          ALTER TABLE "Category" ALTER COLUMN "IncludeInTopMenu" DROP DEFAULT;`,
  },
  {
    to: '4.70',
    sql: `ALTER TABLE "Product" ADD COLUMN "HasTierPrices" boolean NOT NULL, ADD COLUMN "HasDiscountsApplied" boolean NOT NULL;
          ALTER TABLE "Category" DROP COLUMN "RestrictFromVendors";`,
  },
  {
    to: '4.60',
    sql: `ALTER TABLE "Product" DROP COLUMN "DisplayAttributeCombinationImagesOnly",
            ADD COLUMN "IsTelecommunicationsOrBroadcastingOrElectronicServices" boolean NOT NULL;`,
  },
];

export type NopDatabase = Awaited<ReturnType<typeof createNopDatabase>>;

/** A fresh nopCommerce database of one version on the machine's real PostgreSQL, dropped by `drop`. */
export async function createNopDatabase(version: NopVersion = '4.90') {
  const shop = await createScratchDatabase('nop_test');
  await shop.db.raw(SCHEMA_SQL);
  // The fixture has no orders; kitbridge reads only "OrderItem"."ProductId" (nopCommerce's has many more columns).
  await shop.db.raw('create table "OrderItem" ("Id" serial primary key, "OrderId" integer not null, "ProductId" integer not null)');
  for (const step of DOWNGRADES) {
    if (version === '4.90') break;
    await shop.db.raw(step.sql);
    if (step.to === version) break;
  }
  return shop;
}

const NOP_TABLES = [
  'Product',
  'UrlRecord',
  'StoreMapping',
  'Product_Category_Mapping',
  'Picture',
  'PictureBinary',
  'Product_Picture_Mapping',
] as const;

/** Row counts of every table the adapter writes: what "nothing left behind" is checked against. */
export async function nopFootprint(db: Knex): Promise<Record<(typeof NOP_TABLES)[number], number>> {
  const counts = await Promise.all(NOP_TABLES.map(async (table) => Number((await db(table).count({ n: '*' }))[0]!.n)));
  return Object.fromEntries(NOP_TABLES.map((table, i) => [table, counts[i]])) as never;
}

export const SHOP_BASE_URL = 'http://shop.test';

/** The GRANTs the README tells a shop owner to run, so the tests prove the documented permissions suffice. */
function documentedGrants(role: string): string {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const block = /### Database permissions[^\n]*\n+```sql\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no "Database permissions" sql block');
  return block[1]!.replaceAll(' TO kitbridge;', ` TO ${role};`);
}

/** A login role holding only the documented permissions; its URL, and how to drop it. */
async function restrictedUser(db: Knex, url: string) {
  const role = `kitbridge_${randomBytes(4).toString('hex')}`;
  await db.raw(`create role ${role} login`);
  await db.raw(documentedGrants(role));
  const restricted = new URL(url);
  restricted.username = role;
  return {
    url: restricted.toString(),
    drop: async () => {
      await db.raw(`drop owned by ${role}`);
      await db.raw(`drop role ${role}`);
    },
  };
}

/**
 * kitbridge with the nopCommerce adapter on, writing to a fresh shop database of `version`; `prepare` runs
 * on that database first (more stores, settings, constraints).
 */
export async function startShopApp(
  options: {
    version?: NopVersion;
    prepare?: (db: Knex) => Promise<unknown>;
    settings?: Partial<NopCommerceSettings>;
    logger?: AppDeps['logger'];
    /** connect as a role with only the permissions the README documents, instead of the superuser */
    restricted?: boolean;
    /** '' for root-relative cart URLs, as on a shop that serves the snippets itself */
    shopBaseUrl?: string;
    /** more of kitbridge's own dependencies, e.g. an admin token */
    app?: Partial<AppDeps>;
  } = {},
) {
  const shop = await createNopDatabase(options.version);
  await options.prepare?.(shop.db);
  const user = options.restricted ? await restrictedUser(shop.db, shop.url) : undefined;
  const adapter = createNopCommerceCatalog({
    databaseUrl: user?.url ?? shop.url,
    storeId: 1,
    taxCategoryId: 1,
    ...options.settings,
  });
  const app = await startTestApp({
    catalog: { adapter, shopBaseUrl: options.shopBaseUrl ?? SHOP_BASE_URL },
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.app,
  });
  return {
    app,
    shop: shop.db,
    async close() {
      await adapter.close();
      await user?.drop();
      await Promise.all([app.close(), shop.drop()]);
    },
  };
}
