import type { Knex } from 'knex';
import { types } from 'pg';
import { isPoolTimeout, SOCKET_ERRORS, type ColumnInfo, type Dialect } from './dialect';

// SQLSTATEs of failures that pass by themselves: serialization failure, deadlock, lock not available, statement
// timeout or cancel, server shutting down or starting, too many connections. Class 08 (connection) is matched whole.
const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03', '57014', '57P01', '57P02', '57P03', '53300']);
const TIMESTAMP_OID = 1114;

export const postgres: Dialect = {
  engine: 'postgres',
  // The wire protocol counts parameters in 16 bits.
  maxBindings: 65_535,

  knexConfig: (url) => ({
    client: 'pg',
    connection: {
      connectionString: url,
      // nopCommerce's timestamps have no time zone and hold UTC: read them as text, not as local time.
      types: {
        getTypeParser: (oid: number, format?: string) =>
          oid === TIMESTAMP_OID ? (text: string) => text : types.getTypeParser(oid, format as 'text'),
      },
    },
  }),

  lockedTransaction: (db, key, work) =>
    db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [key]);
      return work(trx);
    }),

  async insertId(trx, table, row) {
    const [inserted] = await trx(table).insert(row).returning('Id');
    return Number(inserted.Id);
  },

  async columns(db: Knex, table: string): Promise<ColumnInfo[]> {
    const rows: Array<{ column_name: string; is_nullable: string; column_default: string | null }> = await db('information_schema.columns')
      .where({ table_name: table })
      .whereRaw('table_schema = any (current_schemas(false))')
      .orderBy('ordinal_position')
      .select('column_name', 'is_nullable', 'column_default');
    return rows.map((c) => ({ name: c.column_name, nullable: c.is_nullable === 'YES', hasDefault: c.column_default !== null, charset: null }));
  },

  isTransient(error) {
    const e = error as { code?: string; message?: string } | null;
    const code = String(e?.code ?? '');
    return (
      SOCKET_ERRORS.has(code) ||
      TRANSIENT_STATES.has(code) ||
      code.startsWith('08') ||
      isPoolTimeout(error) ||
      /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/.test(e?.message ?? '')
    );
  },
};
