import { knex, type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrationSource } from '../../migrations';

export type Db = Knex | Knex.Transaction;

export interface DatabaseOptions {
  /** postgres://… for a PostgreSQL server; absent for the embedded PGlite database */
  url?: string;
  /** where PGlite keeps its files; absent with no url: in memory (tests) */
  dataDir?: string;
  /** PostgreSQL schema to work in (tests give each file its own) */
  schema?: string;
}

export interface Database {
  knex: Knex;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  /** what is opened, for messages: the server's URL without its password, or the directory */
  describe(): string;
  close(): Promise<void>;
}

/** A database URL as it may be shown: user, host, port and database, never the password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

export function openDatabase(options: DatabaseOptions): Database {
  const searchPath = options.schema ? [options.schema] : undefined;
  if (!options.url && options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const instance = options.url
    ? knex({
        client: 'pg',
        connection: options.url,
        searchPath,
        // Fail fast when the server is gone, so a delivery gets a 503 instead of hanging.
        acquireConnectionTimeout: 5_000,
        pool: { min: 0, max: 10 },
        // Connection failures reach the caller as errors (and a 503); knex need not print them too.
        log: { error: () => undefined, warn: () => undefined },
      })
    : knex({
        client: ClientPgLite,
        dialect: 'postgres',
        connection: options.dataDir ? { filename: path.join(options.dataDir, 'pglite') } : {},
        searchPath,
      });
  return {
    knex: instance,
    kind: options.url ? 'postgres' : 'pglite',
    async migrate() {
      if (options.schema) await instance.raw('create schema if not exists ??', [options.schema]);
      const settings = { migrationSource, schemaName: options.schema };
      // After a downgrade the database has migrations this code lacks. knex refuses them too (migrate.list
      // as well), but as "the migration directory is corrupt", which sends an operator looking at files
      // rather than at versions; so its own table is read here.
      const table = () => (options.schema ? instance.withSchema(options.schema) : instance).from<{ name: string }>('knex_migrations');
      const migrated = (await instance.schema.withSchema(options.schema ?? 'public').hasTable('knex_migrations')) ? await table().pluck('name') : [];
      const known = new Set(await migrationSource.getMigrations([]));
      const unknown = migrated.filter((name) => !known.has(name));
      if (unknown.length > 0) {
        throw new Error(
          `it was migrated by a newer kitbridge (${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} unknown to this version); start the newer version again, or restore the backup taken before the upgrade`,
        );
      }
      await instance.migrate.latest(settings);
    },
    describe: () => (options.url ? `PostgreSQL at ${withoutPassword(options.url)}` : `the embedded database in ${options.dataDir ?? 'memory'}`),
    close: () => instance.destroy(),
  };
}

export interface Prepared {
  name: string;
  text: string;
}

/**
 * A statement for the webhook's hot path: PostgreSQL parses and plans it once per connection (a named prepared
 * statement; PGlite, a single connection, plans it every time). It runs on knex's connection (or the
 * transaction's) but bypasses knex's query building, which cost as much CPU as the driver itself. `text` uses
 * PostgreSQL's own `$1` placeholders.
 */
export const prepare = (name: string, text: string): Prepared => ({ name: `kitbridge_${name}`, text });

export async function runPrepared(db: Db, statement: Prepared, values: readonly unknown[]): Promise<Array<Record<string, any>>> {
  const connection = await db.client.acquireConnection();
  try {
    const result = db.client instanceof ClientPgLite
      ? await connection.query(statement.text, values)
      : await connection.query({ name: statement.name, text: statement.text, values });
    return result.rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}

/** Whether the database answers a query now: what readiness, and the console's health page, report. */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await db.raw('select 1');
    return true;
  } catch {
    return false;
  }
}

/** pg returns bigint ids as strings, PGlite as numbers: ids leave the data layer as strings. */
export const idOf = (value: unknown): string => String(value);
/** bytea values: pg returns a Buffer, PGlite a Uint8Array; bytes leave the data layer as a Buffer. */
export const bytesOf = (value: Uint8Array | null): Buffer | null =>
  value === null ? null : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
/** json/jsonb values: pg parses them, PGlite returns some (aggregates) as text. */
export const jsonOf = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);
