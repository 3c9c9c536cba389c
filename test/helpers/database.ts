import { randomBytes } from 'node:crypto';
import { knex } from 'knex';
import { migrationSource } from '../../migrations';
import { openDatabase, type Database } from '../../src/db/database';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase extends Database {
  /** runs one migration's `up` or `down` by name, for tests of a migration itself */
  migration(direction: 'up' | 'down', name: string): Promise<unknown>;
  drop(): Promise<void>;
}

/**
 * A migrated, empty database for one test file: in-memory PGlite, or a fresh schema on the real
 * PostgreSQL server (dropped again by `drop`), chosen by the jest project; a given `url` means PostgreSQL there.
 */
export async function createTestDatabase(url?: string): Promise<TestDatabase> {
  const migration = (database: Database, schemaName?: string) => (direction: 'up' | 'down', name: string) =>
    database.knex.migrate[direction]({ migrationSource, name, schemaName });
  if (!url && process.env.KITBRIDGE_TEST_DB !== 'postgres') {
    const database = openDatabase({});
    await database.migrate();
    return { ...database, migration: migration(database), drop: database.close };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const database = openDatabase({ url: url ?? TEST_DATABASE_URL, schema });
  await database.migrate();
  return {
    ...database,
    migration: migration(database, schema),
    async drop() {
      await database.knex.raw('drop schema if exists ?? cascade', [schema]);
      await database.close();
    },
  };
}

/**
 * A whole new database on the machine's PostgreSQL (for a nopCommerce shop, or a service process of its own),
 * with a knex handle for the test's reads; `drop` removes it, closing whatever is still connected.
 */
export async function createScratchDatabase(prefix: string) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = '/postgres';
  const admin = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 1 } });
  await admin.raw('create database ??', [name]);
  url.pathname = `/${name}`;
  const db = knex({ client: 'pg', connection: url.toString(), pool: { min: 0, max: 2 } });
  return {
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    },
  };
}
