import type { Knex } from 'knex';
import { isPoolTimeout, SOCKET_ERRORS, type ColumnInfo, type Dialect } from './dialect';

// Error numbers of failures that pass by themselves: too many connections (1040, 1203), server shutdown (1053),
// network read/write interrupted (1158-1161), lock wait timeout (1205), deadlock (1213), query interrupted (1317),
// connection killed (MariaDB 1927), statement timeout (MariaDB 1969, MySQL 3024), and the client's "server has
// gone away" / "lost connection" (2006, 2013).
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1158, 1159, 1160, 1161, 1203, 1205, 1213, 1317, 1927, 1969, 3024, 2006, 2013]);
// mysql2's own codes for a connection that broke or was closed under it.
const TRANSIENT_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CONNECTION_KILLED']);

// GET_LOCK names are at most 64 characters; a delivery's key is longer, and its first 64 are unique enough.
const LOCK_NAME_MAX = 64;
// As long as a slow first attempt may take; past it the retry answers 503 and is retried later.
const LOCK_WAIT_SECONDS = 30;

interface TypeCastField {
  type: string;
  length: number;
  string(): string | null;
}

export const mysql: Dialect = {
  engine: 'mysql',
  // A prepared statement takes at most 65,535 placeholders.
  maxBindings: 65_535,

  knexConfig: (url) => ({
    client: 'mysql2',
    connection: {
      uri: url,
      // Our side of the connection speaks all of Unicode; what the shop's columns can hold is their business (utf8mb3).
      charset: 'utf8mb4',
      // nopCommerce's datetime(6) columns hold UTC: read them as text, never as local time.
      dateStrings: true,
      timezone: 'Z',
      supportBigNumbers: true,
      // nopCommerce's booleans are TINYINT(1): read them as booleans, as on PostgreSQL.
      typeCast: (field: TypeCastField, next: () => unknown) => {
        if (field.type !== 'TINY' || field.length !== 1) return next();
        const value = field.string();
        return value === null ? null : value === '1';
      },
    },
  }),

  /**
   * MySQL has no transaction-scoped advisory lock: GET_LOCK belongs to the session. So the lock is taken on a
   * connection of our own, the transaction runs on that same connection, and the lock is released after it
   * ends, before the connection goes back to the pool. A session that dies releases its locks with it.
   */
  async lockedTransaction(db, key, work) {
    const connection = await db.client.acquireConnection();
    const name = key.slice(0, LOCK_NAME_MAX);
    try {
      const [[lock]] = await db.raw('select get_lock(?, ?) as got', [name, LOCK_WAIT_SECONDS]).connection(connection);
      if (Number(lock.got) !== 1) throw Object.assign(new Error(`waited ${LOCK_WAIT_SECONDS} s for lock ${name}`), { errno: 1205 });
      try {
        return await db.transaction(work, { connection });
      } finally {
        await db
          .raw('do release_lock(?)', [name])
          .connection(connection)
          .catch(() => undefined);
      }
    } finally {
      await db.client.releaseConnection(connection);
    }
  },

  async insertId(trx, table, row) {
    // knex reads LAST_INSERT_ID() of this connection's insert.
    const [id] = await trx(table).insert(row);
    return Number(id);
  },

  async columns(db: Knex, table: string): Promise<ColumnInfo[]> {
    const rows: Array<{ name: string; nullable: string; def: string | null; extra: string; charset: string | null }> = await db(
      'information_schema.COLUMNS',
    )
      .where({ TABLE_NAME: table })
      .whereRaw('TABLE_SCHEMA = database()')
      .orderBy('ORDINAL_POSITION')
      .select({ name: 'COLUMN_NAME', nullable: 'IS_NULLABLE', def: 'COLUMN_DEFAULT', extra: 'EXTRA', charset: 'CHARACTER_SET_NAME' });
    // MariaDB shows a nullable column's default as the text NULL, and no default as SQL NULL (ORDERS-AND-ENGINES.md).
    return rows.map((c) => ({
      name: c.name,
      nullable: c.nullable === 'YES',
      hasDefault: c.def !== null || /auto_increment/i.test(c.extra),
      charset: c.charset,
    }));
  },

  isTransient(error) {
    const e = error as { code?: string; errno?: number; message?: string } | null;
    const code = String(e?.code ?? '');
    return (
      SOCKET_ERRORS.has(code) ||
      TRANSIENT_CODES.has(code) ||
      TRANSIENT_ERRNOS.has(Number(e?.errno)) ||
      isPoolTimeout(error) ||
      /closed state|Connection lost/i.test(e?.message ?? '')
    );
  },
};
