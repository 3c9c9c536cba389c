import { knex, type Knex } from 'knex';
import type { Dialect } from './dialects/dialect';
import { dialectFor } from './dialects';
import { readNopSchema, type NopSchema, type NopVersion } from './schema';
import type { WeightUnit } from './settings';

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

/** The shop's database as every step of the adapter reaches it: the dependencies the steps take. */
export interface ShopDatabase {
  db: Knex;
  dialect: Dialect;
  settings: NopCommerceSettings;
  /** What kitbridge knows of the shop's tables: read once, on first use, so kitbridge starts while the shop is down. */
  schema(): Promise<NopSchema>;
  /** Read the schema again next time: the operator may have fixed (or upgraded) the database meanwhile. */
  forgetSchema(): void;
}

/** A pool on the shop's database, with its engine's dialect; nothing is connected until a step needs it. */
export function openShopDatabase(settings: NopCommerceSettings): ShopDatabase {
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
  db.on('query-error', keepStatementApart);
  let schema: Promise<NopSchema> | undefined;
  return {
    db,
    dialect,
    settings,
    schema: () => (schema ??= readNopSchema(db, dialect).then((found) => checkVersion(settings, found))),
    forgetSchema: () => (schema = undefined),
  };
}

/** knex prefixes the database's message with the statement; keep the statement apart, the message as the database said it. */
function keepStatementApart(error: Error & { sql?: string }, query: { sql?: string }): void {
  if (query.sql && error.message.startsWith(`${query.sql} - `)) {
    error.message = error.message.slice(query.sql.length + 3);
    error.sql = query.sql;
  }
}

function checkVersion(settings: NopCommerceSettings, found: NopSchema): NopSchema {
  if (settings.version && settings.version !== found.version) {
    throw new Error(`NOPCOMMERCE_VERSION is ${settings.version} but the database has ${found.version}'s columns`);
  }
  return found;
}
