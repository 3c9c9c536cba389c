import { randomBytes } from 'node:crypto';
import { knex } from 'knex';
import { mssql } from '../../src/nopcommerce/dialects/mssql';
import { startTcpProxy } from './tcp-proxy';
import { waitFor } from './wait';

/**
 * The SQL Server (or Babelfish) the SQL Server shop tests use: TEST_MSSQL_URL, a login that may create databases
 * and logins. test/setup/shop-engines.js decides once per run whether it answers.
 */
export const TEST_MSSQL_URL = process.env.TEST_MSSQL_URL ?? '';

/** A T-SQL script as sqlcmd runs it: batches separated by lines holding only GO. */
export const batchesOf = (script: string) =>
  script
    .split(/^\s*GO\s*$/im)
    .map((batch) => batch.trim())
    .filter(Boolean)
    // knex's SQL Server client takes every ? for a parameter; a script has none.
    .map((batch) => batch.replaceAll('?', '\\?'));

const admin = () => knex({ ...mssql.knexConfig(TEST_MSSQL_URL), pool: { min: 0, max: 1 } });

/**
 * A whole new database on the TDS server, loaded with `script`, reached by the adapter through a TCP proxy (so
 * that a test can drop its session mid-transaction) and by `admin` directly; `drop` removes it.
 */
export async function createScratchMssqlDatabase(prefix: string, script: string) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const server = admin();
  await server.raw(`create database [${name}]`);
  const direct = new URL(TEST_MSSQL_URL);
  direct.pathname = `/${name}`;
  const owner = knex({ ...mssql.knexConfig(direct.toString()), pool: { min: 0, max: 1 } });
  for (const batch of batchesOf(script)) await owner.raw(batch);
  const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 1433) });
  const viaProxy = new URL(direct);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  return {
    name,
    /** for the adapter: through the proxy */
    url: viaProxy.toString(),
    directUrl: direct.toString(),
    proxy,
    run: (sql: string) => owner.raw(sql.replaceAll('?', '\\?')),
    server,
    async drop() {
      await owner.destroy();
      await proxy.close();
      // A session the proxy just cut may still be ending on the server, holding the database open for a moment.
      await waitFor(() => server.raw(`drop database [${name}]`).then(() => true, () => false), 10_000);
      await server.destroy();
    },
  };
}

export type ScratchMssqlDatabase = Awaited<ReturnType<typeof createScratchMssqlDatabase>>;

/** A login and database user holding only `grants` (T-SQL naming the user kitbridge); its URL, and how to drop it. */
export async function restrictedMssqlUser(scratch: ScratchMssqlDatabase, grants: string) {
  const login = `kitbridge_${randomBytes(4).toString('hex')}`;
  // SQL Server's password policy wants three of upper case, lower case, digits and symbols.
  const password = `Kb-${randomBytes(9).toString('hex')}`;
  await scratch.server.raw(`create login [${login}] with password = '${password}'`);
  await scratch.run(`create user [${login}] for login [${login}]`);
  for (const batch of batchesOf(grants)) await scratch.run(batch.replace(/\bTO kitbridge;/g, `TO [${login}];`));
  const url = new URL(scratch.url);
  url.username = login;
  url.password = password;
  return {
    url: url.toString(),
    drop: async () => {
      await scratch.run(`drop user [${login}]`);
      await scratch.server.raw(`drop login [${login}]`);
    },
  };
}

/** Runs `attempt` while the adapter's connection drops as it sends its first statement naming `table`. */
export async function withMssqlSessionDroppedAt<T>(scratch: ScratchMssqlDatabase, table: string, attempt: () => Promise<T>): Promise<T> {
  // Statements travel as UTF-16 (sp_executesql's NVARCHAR text).
  const dropped = scratch.proxy.dropWhenSent(Buffer.from(table, 'utf16le'));
  const result = await attempt();
  await dropped;
  return result;
}
