import crypto, { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { knex, type Knex } from 'knex';
import type { AppDeps } from '../../src/app';
import { createNopCommerceAdapter, type NopCommerceSettings } from '../../src/nopcommerce/adapter';
import { mssql } from '../../src/nopcommerce/dialects/mssql';
import { mysql } from '../../src/nopcommerce/dialects/mysql';
import { postgres } from '../../src/nopcommerce/dialects/postgres';
import type { NopVersion } from '../../src/nopcommerce/schema';
import { startTestApp } from './app';
import { createScratchDatabase } from './database';
import { createScratchMssqlDatabase, restrictedMssqlUser, withMssqlSessionDroppedAt, type ScratchMssqlDatabase } from './mssql';
import { waitFor } from './wait';

export type NopEngine = 'postgres' | 'mysql' | 'mssql';

const DIALECTS = { postgres, mysql, mssql };

/**
 * The engines the nopCommerce tests run on: all three, unless NOP_TEST_ENGINES narrows them (e.g. while
 * working). SQL Server needs a TDS server (TEST_MSSQL_URL; without one it is left out, and the run's summary
 * says so: test/setup/shop-engines.js), and runs in the postgres project only: which database kitbridge keeps
 * its own kits in does not change what the adapter writes, and running it twice would add minutes for nothing.
 */
export const NOP_ENGINES = (process.env.NOP_TEST_ENGINES || 'postgres,mysql,mssql')
  .split(',')
  .filter((engine) => engine !== 'mssql' || (!process.env.KITBRIDGE_MSSQL_SKIPPED && process.env.KITBRIDGE_TEST_DB === 'postgres')) as NopEngine[];

/** The machine's MariaDB (root, no password), where each MySQL scenario gets a database of its own. */
export const TEST_MYSQL_URL = process.env.TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/nopcommerce', name), 'utf8');

/**
 * nopCommerce 4.90 as a fresh install creates it, per engine: the catalog tables (copied from the nopCommerce
 * facts the project was given, see docs/nopcommerce/), the roster and weight tables, and Order/OrderItem.
 */
const SCHEMA: Record<NopEngine, () => string> = {
  postgres: () => fixture('schema.sql') + fixture('schema-attributes.sql') + fixture('orders.sql'),
  mysql: () => fixture('schema.mysql.sql') + fixture('orders.mysql.sql'),
  mssql: () => `${fixture('schema.mssql.sql')}\nGO\n${fixture('orders.mssql.sql')}`,
};

/**
 * From 4.90 back to each older release, per docs/nopcommerce/VERSIONS.md and the builders' history (research
 * notes: ProductAttributeValue.PictureId and Order.CustomerIp change in 4.70). Columns added back are NOT NULL
 * without a default, as a fresh install of that release has them, so a writer must supply them.
 */
const DOWNGRADES: Record<NopEngine, Array<{ to: NopVersion; sql: string }>> = {
  postgres: [
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
              ADD COLUMN "IsTelecommunicationsOrBroadcastingOrElectronicServices" boolean NOT NULL;
            ALTER TABLE "ProductAttributeValue" ALTER COLUMN "PictureId" SET NOT NULL;`,
    },
  ],
  mysql: [
    {
      to: '4.80',
      sql: `ALTER TABLE Product DROP COLUMN AgeVerification, DROP COLUMN MinimumAgeToPurchase;
            ALTER TABLE Category ADD COLUMN IncludeInTopMenu tinyint(1) NOT NULL DEFAULT 0;
            ALTER TABLE Category ALTER COLUMN IncludeInTopMenu DROP DEFAULT;`,
    },
    {
      to: '4.70',
      sql: `ALTER TABLE Product ADD COLUMN HasTierPrices tinyint(1) NOT NULL, ADD COLUMN HasDiscountsApplied tinyint(1) NOT NULL;
            ALTER TABLE Category DROP COLUMN RestrictFromVendors;`,
    },
    {
      to: '4.60',
      sql: `ALTER TABLE Product DROP COLUMN DisplayAttributeCombinationImagesOnly,
              ADD COLUMN IsTelecommunicationsOrBroadcastingOrElectronicServices tinyint(1) NOT NULL;
            ALTER TABLE ProductAttributeValue MODIFY PictureId int NOT NULL;
            ALTER TABLE \`Order\` DROP COLUMN CustomerIp;
            ALTER TABLE \`Order\` ADD COLUMN CustomerIp longtext CHARACTER SET utf8mb3 NULL AFTER AffiliateId;`,
    },
  ],
  // FluentMigrator writes no defaults: a column added back NOT NULL to a table with rows gets a named default
  // for the ALTER, dropped again after it. Each ALTER its own batch, as SQL Server compiles a batch whole.
  mssql: [
    {
      to: '4.80',
      // One column per DROP: Babelfish refuses a list (SQL Server takes both).
      sql: `ALTER TABLE [dbo].[Product] DROP COLUMN [AgeVerification];
            GO
            ALTER TABLE [dbo].[Product] DROP COLUMN [MinimumAgeToPurchase];
            GO
            ALTER TABLE [dbo].[Category] ADD [IncludeInTopMenu] BIT NOT NULL CONSTRAINT [DF_Category_IncludeInTopMenu] DEFAULT 0;
            GO
            ALTER TABLE [dbo].[Category] DROP CONSTRAINT [DF_Category_IncludeInTopMenu];`,
    },
    {
      to: '4.70',
      sql: `ALTER TABLE [dbo].[Product] ADD [HasTierPrices] BIT NOT NULL, [HasDiscountsApplied] BIT NOT NULL;
            GO
            ALTER TABLE [dbo].[Category] DROP COLUMN [RestrictFromVendors];`,
    },
    {
      to: '4.60',
      sql: `ALTER TABLE [dbo].[Product] DROP COLUMN [DisplayAttributeCombinationImagesOnly];
            GO
            ALTER TABLE [dbo].[Product] ADD [IsTelecommunicationsOrBroadcastingOrElectronicServices] BIT NOT NULL;
            GO
            ALTER TABLE [dbo].[ProductAttributeValue] ALTER COLUMN [PictureId] INT NOT NULL;
            GO
            ALTER TABLE [dbo].[Order] ALTER COLUMN [CustomerIp] NVARCHAR(MAX) NULL;`,
    },
  ],
};

/** A whole new database on the machine's MariaDB, loaded with `sql`; `drop` removes it. */
async function createScratchMysqlDatabase(prefix: string, sql: string) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = new URL(TEST_MYSQL_URL);
  const admin = knex({ client: 'mysql2', connection: { uri: url.toString(), multipleStatements: true }, pool: { min: 0, max: 1 } });
  await admin.raw(`create database ${name}`);
  url.pathname = `/${name}`;
  await admin.raw(`use ${name}; ${sql}`);
  return {
    name,
    url: url.toString(),
    admin,
    async drop() {
      await admin.raw(`drop database if exists ${name}`);
      await admin.destroy();
    },
  };
}

export interface NopDatabase {
  engine: NopEngine;
  version: NopVersion;
  /** where the adapter connects (on SQL Server: through a TCP proxy the tests can cut) */
  url: string;
  name: string;
  db: Knex;
  run(sql: string): Promise<unknown>;
  drop(): Promise<void>;
  /** on SQL Server: the scratch database, its server login and its proxy */
  mssql?: ScratchMssqlDatabase;
}

/**
 * A fresh nopCommerce database of one version on the machine's PostgreSQL or MariaDB, or the TDS server. `db`
 * reads it as the adapter does (booleans as booleans, decimals and timestamps as text, on every engine); `run`
 * runs engine-specific SQL as the server's superuser; `drop` removes it.
 */
export async function createNopDatabase(version: NopVersion = '4.90', engine: NopEngine = 'postgres'): Promise<NopDatabase> {
  const steps: string[] = [];
  for (const step of DOWNGRADES[engine]) {
    if (version === '4.90') break;
    steps.push(step.sql);
    if (step.to === version) break;
  }
  if (engine === 'postgres') {
    const scratch = await createScratchDatabase('nop_test');
    for (const sql of [SCHEMA.postgres(), ...steps]) await scratch.db.raw(sql);
    return openedShop(engine, version, postgres.knexConfig(scratch.url), {
      url: scratch.url,
      name: new URL(scratch.url).pathname.slice(1),
      run: (sql: string) => scratch.db.raw(sql),
      drop: scratch.drop,
    });
  }
  if (engine === 'mssql') {
    const scratch = await createScratchMssqlDatabase('nop_test', [SCHEMA.mssql(), ...steps].join('\nGO\n'));
    return openedShop(engine, version, mssql.knexConfig(scratch.directUrl), { url: scratch.url, name: scratch.name, run: scratch.run, drop: scratch.drop, mssql: scratch });
  }
  const scratch = await createScratchMysqlDatabase('nop_test', [SCHEMA.mysql(), ...steps].join('\n'));
  return openedShop(engine, version, mysql.knexConfig(scratch.url), {
    url: scratch.url,
    name: scratch.name,
    run: (sql: string) => scratch.admin.raw(`use ${scratch.name}; ${sql}`),
    drop: scratch.drop,
  });
}

/** A scratch shop database with a pool of its own on it; dropping it closes the pool first. */
function openedShop(
  engine: NopEngine,
  version: NopVersion,
  config: Knex.Config,
  scratch: Omit<NopDatabase, 'engine' | 'version' | 'db' | 'drop'> & { drop(): Promise<unknown> },
): NopDatabase {
  const db = knex({ ...config, pool: { min: 0, max: 3 } });
  return {
    ...scratch,
    engine,
    version,
    db,
    async drop() {
      await db.destroy();
      await scratch.drop();
    },
  };
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

/** The GRANTs the nopCommerce guide tells a shop owner to run on `engine`, so the tests prove the documented permissions suffice. */
export function documentedGrants(engine: NopEngine): string {
  const readme = readFileSync(path.join(__dirname, '../../docs/guides/nopcommerce.md'), 'utf8');
  const section = /\n## Database permissions[^\n]*\n([\s\S]*?)(?=\n## |$)/.exec(readme)?.[1] ?? '';
  const heading = { postgres: '-- PostgreSQL', mysql: '-- MySQL', mssql: '-- SQL Server' }[engine];
  const block = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!).find((sql) => sql.startsWith(heading));
  if (!block) throw new Error(`docs/guides/nopcommerce.md has no "Database permissions" sql block starting with ${heading}`);
  return block;
}

/** A login holding only the documented permissions; its URL, and how to drop it. */
async function restrictedUser(nop: NopDatabase) {
  const role = `kitbridge_${randomBytes(4).toString('hex')}`;
  const restricted = new URL(nop.url);
  restricted.username = role;
  if (nop.mssql) return restrictedMssqlUser(nop.mssql, documentedGrants('mssql'));
  if (nop.engine === 'postgres') {
    await nop.run(`create role ${role} login`);
    await nop.run(documentedGrants('postgres').replaceAll(' TO kitbridge;', ` TO ${role};`));
    return {
      url: restricted.toString(),
      drop: async () => {
        await nop.run(`drop owned by ${role}; drop role ${role}`);
      },
    };
  }
  const password = randomBytes(9).toString('hex');
  restricted.password = password;
  await nop.run(`create user '${role}'@'%' identified by '${password}'`);
  await nop.run(documentedGrants('mysql').replaceAll('nopcommerce.', `${nop.name}.`).replaceAll("'kitbridge'@'%'", `'${role}'@'%'`));
  return {
    url: restricted.toString(),
    drop: async () => {
      await nop.run(`drop user '${role}'@'%'`);
    },
  };
}

/**
 * kitbridge with the nopCommerce adapter on, writing to a fresh shop database of `version` on `engine`;
 * `prepare` runs on that database first (more stores, settings, constraints).
 */
export async function startShopApp(
  options: {
    engine?: NopEngine;
    version?: NopVersion;
    prepare?: (db: Knex) => Promise<unknown>;
    settings?: Partial<NopCommerceSettings>;
    logger?: AppDeps['logger'];
    /** connect as a login with only the permissions the README documents, instead of the superuser */
    restricted?: boolean;
    /** '' for root-relative cart URLs, as on a shop that serves the snippets itself */
    shopBaseUrl?: string;
    /** more of kitbridge's own dependencies, e.g. an admin token */
    app?: Partial<AppDeps>;
  } = {},
) {
  const nop = await createNopDatabase(options.version, options.engine);
  await options.prepare?.(nop.db);
  const user = options.restricted ? await restrictedUser(nop) : undefined;
  const adapter = createNopCommerceAdapter({
    databaseUrl: user?.url ?? nop.url,
    storeId: 1,
    taxCategoryId: 1,
    // the fixtures' installed shop enters prices without tax, like this
    kitPricesIncludeTax: false,
    ...options.settings,
  });
  const app = await startTestApp({
    shop: { adapter, baseUrl: options.shopBaseUrl ?? SHOP_BASE_URL },
    ...(options.logger ? { logger: options.logger } : {}),
    ...options.app,
  });
  return {
    app,
    adapter,
    nop,
    shop: nop.db,
    async close() {
      await adapter.close();
      await user?.drop();
      await Promise.all([app.close(), nop.drop()]);
    },
  };
}

/**
 * Runs `attempt` while the shop's database server ends the adapter's session as it inserts into `table`, after
 * the earlier rows of the transaction were written: PostgreSQL's backend terminates itself from a trigger;
 * on MariaDB a trigger makes the session wait for a lock this helper holds, and the helper KILLs it there; on
 * SQL Server the network drops the connection as the statement is sent (the server rolls the transaction back).
 */
export async function withSessionKilledAt<T>(nop: NopDatabase, table: string, attempt: () => Promise<T>): Promise<T> {
  if (nop.mssql) return withMssqlSessionDroppedAt(nop.mssql, table, attempt);
  if (nop.engine === 'postgres') {
    await nop.run(`
      create function kill_session() returns trigger language plpgsql as $$
      begin perform pg_terminate_backend(pg_backend_pid()); return new; end $$;
      create trigger kill_session before insert on "${table}" for each row execute function kill_session();`);
    try {
      return await attempt();
    } finally {
      await nop.run(`drop trigger kill_session on "${table}"; drop function kill_session()`);
    }
  }
  const holder = knex({ client: 'mysql2', connection: { uri: nop.url }, pool: { min: 1, max: 1 } });
  await holder.raw("select get_lock('kitbridge_test_hold', 0)");
  await nop.run(`create trigger kill_session before insert on ${table} for each row set @held = get_lock('kitbridge_test_hold', 60)`);
  try {
    const pending = attempt();
    let waiting: number | undefined;
    await waitFor(async () => {
      // The waiting session shows the trigger's statement.
      const [rows] = await holder.raw("select ID from information_schema.PROCESSLIST where STATE = 'User lock' and INFO like '%kitbridge_test_hold%'");
      waiting = rows[0]?.ID;
      return waiting !== undefined;
    }, 20_000);
    await holder.raw(`kill ${waiting}`);
    return await pending;
  } finally {
    await holder.raw("do release_lock('kitbridge_test_hold')");
    await holder.destroy();
    await nop.run('drop trigger kill_session');
  }
}

export interface OrderLine {
  productId: number;
  quantity: number;
  unitPrice?: string;
  /** as OrderProcessingService copies them from the cart item */
  attributesXml?: string | null;
  attributeDescription?: string | null;
  /** as OrderProcessingService computes them from the cart (nop-tax.ts); else unitPrice for all */
  prices?: { unitInclTax: string; unitExclTax: string; lineInclTax: string; lineExclTax: string };
}

const ZERO_ORDER_AMOUNTS = Object.fromEntries(
  [
    'OrderSubtotalInclTax', 'OrderSubtotalExclTax', 'OrderSubTotalDiscountInclTax', 'OrderSubTotalDiscountExclTax',
    'OrderShippingInclTax', 'OrderShippingExclTax', 'PaymentMethodAdditionalFeeInclTax',
    'PaymentMethodAdditionalFeeExclTax', 'OrderTax', 'OrderDiscount', 'RefundedAmount',
  ].map((column) => [column, 0]),
);

/**
 * An order as nopCommerce's checkout leaves it (OrderProcessingService.PlaceOrderAsync): the Order row, inserted
 * with an empty CustomOrderNumber and then given its number (the default mask "{ID}"), and one OrderItem per line.
 */
export async function placeOrder(nop: NopDatabase, lines: OrderLine[], createdOnUtc = '2026-01-15 10:30:00') {
  const dialect = DIALECTS[nop.engine];
  const total = lines.reduce((sum, line) => sum + Number(line.unitPrice ?? 0) * line.quantity, 0);
  return nop.db.transaction(async (trx) => {
    const orderId = await dialect.insertId(trx, 'Order', {
      CustomOrderNumber: '',
      BillingAddressId: 1,
      CustomerId: 1,
      OrderGuid: crypto.randomUUID(),
      StoreId: 1,
      PickupInStore: false,
      OrderStatusId: 10, // Pending
      ShippingStatusId: 20, // NotYetShipped
      PaymentStatusId: 10, // Pending
      CurrencyRate: 1,
      CustomerCurrencyCode: 'USD',
      CustomerTaxDisplayTypeId: 10,
      ...ZERO_ORDER_AMOUNTS,
      OrderTotal: total,
      CustomerLanguageId: 1,
      AffiliateId: 0,
      AllowStoringCreditCardNumber: false,
      Deleted: false,
      CreatedOnUtc: createdOnUtc,
      ...(nop.version === '4.60' ? {} : { CustomerIp: '127.0.0.1' }),
    });
    await trx('Order').where({ Id: orderId }).update({ CustomOrderNumber: String(orderId) });
    for (const line of lines) {
      const price = Number(line.unitPrice ?? 0);
      await trx('OrderItem').insert({
        OrderId: orderId,
        ProductId: line.productId,
        OrderItemGuid: crypto.randomUUID(),
        Quantity: line.quantity,
        UnitPriceInclTax: line.prices?.unitInclTax ?? price,
        UnitPriceExclTax: line.prices?.unitExclTax ?? price,
        PriceInclTax: line.prices?.lineInclTax ?? price * line.quantity,
        PriceExclTax: line.prices?.lineExclTax ?? price * line.quantity,
        DiscountAmountInclTax: 0,
        DiscountAmountExclTax: 0,
        OriginalProductCost: 0,
        AttributeDescription: line.attributeDescription ?? null,
        AttributesXml: line.attributesXml ?? null,
        DownloadCount: 0,
        IsDownloadActivated: false,
        LicenseDownloadId: 0,
        ItemWeight: null,
      });
    }
    return orderId;
  });
}
