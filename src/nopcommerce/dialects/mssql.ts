import type { Knex } from 'knex';
import { isPoolTimeout, SOCKET_ERRORS, type ColumnInfo, type Dialect } from './dialect';

// SQL Server error numbers of failures that pass by themselves (Microsoft.Data.SqlClient retries the same):
// timeout (-2), lock resources (1204), deadlock victim (1205), lock request timeout (1222), snapshot update
// conflict (3960), the transport (20, 64, 233, 10053, 10054, 10060), and Azure SQL's throttling, failover and
// reconfiguration (4221, 10928, 10929, 40197, 40501, 40613, 49918-49920).
const TRANSIENT_NUMBERS = new Set([-2, 20, 64, 233, 1204, 1205, 1222, 3960, 4221, 10053, 10054, 10060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920]);
// tedious's codes for a connection that could not be made or broke: socket, connect timeout, closed, request
// timeout or cancel, a request on a connection that already ended, a named instance the browser did not answer for.
const TRANSIENT_CODES = new Set(['ESOCKET', 'ETIMEOUT', 'ECLOSE', 'ECONNCLOSED', 'ECANCEL', 'EINVALIDSTATE', 'EINSTLOOKUP']);

// As long as a slow first attempt may take; past it the retry answers 503 and is retried later.
const LOCK_WAIT_MS = 30_000;
// A statement may wait that long for the lock, and a little more for its work.
const REQUEST_TIMEOUT_MS = 60_000;

/** The query parameters a NOPCOMMERCE_DATABASE_URL may carry for SQL Server, as tedious names its options. */
const URL_OPTIONS = {
  encrypt: 'boolean',
  trustServerCertificate: 'boolean',
  instanceName: 'text',
  connectTimeout: 'number',
  requestTimeout: 'number',
  appName: 'text',
} as const;

/**
 * tedious's connection settings from `mssql://user:password@host[:port][/database][?option=value...]`; a named
 * instance is `host\instance` (or `?instanceName=`), found through the SQL Server Browser instead of a port.
 */
export function mssqlConnection(url: string): Record<string, unknown> {
  // WHATWG URLs take no backslash in a host: take the instance out before parsing.
  const named = /^(mssql:\/\/(?:[^@/?#]*@)?[^\\/?#:@]+)\\([^/?#:]+)/.exec(url);
  const parsed = URL.parse(named ? named[1] + url.slice(named[0].length) : url);
  if (parsed?.protocol !== 'mssql:' || !parsed.hostname) throw new Error('must look like mssql://user:password@host:1433/database');
  const options: Record<string, unknown> = { requestTimeout: REQUEST_TIMEOUT_MS, ...(named ? { instanceName: decodeURIComponent(named[2]!) } : {}) };
  for (const [name, value] of parsed.searchParams) {
    const kind = URL_OPTIONS[name as keyof typeof URL_OPTIONS];
    if (!kind) throw new Error(`has the unknown option ${name}; SQL Server takes ${Object.keys(URL_OPTIONS).join(', ')}`);
    options[name] = optionValue(name, kind, value);
  }
  return {
    server: parsed.hostname,
    ...(parsed.port ? { port: Number(parsed.port) } : {}),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)) || undefined,
    options,
  };
}

function optionValue(name: string, kind: 'boolean' | 'number' | 'text', value: string): unknown {
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new Error(`option ${name} must be true or false`);
    return value === 'true';
  }
  if (kind === 'number') {
    if (!/^\d{1,9}$/.test(value)) throw new Error(`option ${name} must be a number of milliseconds`);
    return Number(value);
  }
  return value;
}

interface TediousColumn {
  value: unknown;
  metadata: { type: { name: string }; scale?: number };
}

/** "2025-01-31 12:00:00.123456" from tedious's Date (milliseconds) and its nanosecondsDelta (the rest of datetime2's digits). */
function datetimeText(value: Date & { nanosecondsDelta?: number }, scale: number): string {
  const micros = Math.round((value.nanosecondsDelta ?? 0) * 1e6);
  const fraction = `${String(value.getUTCMilliseconds()).padStart(3, '0')}${String(micros).padStart(3, '0')}`.slice(0, Math.min(scale, 6));
  return value.toISOString().slice(0, 19).replace('T', ' ') + (fraction ? `.${fraction}` : '');
}

/** Values as the other dialects give them: decimals with their scale and datetime2 as text, never JS numbers or local Dates. */
function asText(column: TediousColumn): unknown {
  const { value, metadata } = column;
  if (value === null || value === undefined) return value;
  const type = metadata.type.name;
  if ((type === 'DecimalN' || type === 'NumericN' || type === 'Decimal' || type === 'Numeric') && typeof value === 'number') {
    return value.toFixed(metadata.scale ?? 0);
  }
  if (type === 'DateTime2' && value instanceof Date) return datetimeText(value, metadata.scale ?? 7);
  return value;
}

interface KnexClient {
  processResponse(query: { response?: unknown }, runner: unknown): unknown;
}
// knex's SQL Server client (knex/lib/dialects/mssql, untyped), here to read tedious's rows while each column's
// type is still at hand: knex keeps only the values.
const KnexMssql: new (config: Knex.Config) => KnexClient = require('knex/lib/dialects/mssql');

class NopMssqlClient extends KnexMssql {
  processResponse(query: { response?: unknown }, runner: unknown): unknown {
    if (Array.isArray(query?.response)) {
      for (const row of query.response as TediousColumn[][]) {
        if (Array.isArray(row)) for (const column of row) column.value = asText(column);
      }
    }
    return super.processResponse(query, runner);
  }
}

export const mssql: Dialect = {
  engine: 'mssql',
  // A request takes at most 2,100 parameters.
  maxBindings: 2_000,

  knexConfig: (url) => ({ client: NopMssqlClient as unknown as Knex.Config['client'], connection: mssqlConnection(url) }),

  /** sp_getapplock owned by the transaction: released when it commits or rolls back, or its session ends. */
  lockedTransaction: (db, key, work) =>
    db.transaction(async (trx) => {
      const [lock] = await trx.raw(
        "declare @result int; exec @result = sp_getapplock @Resource = ?, @LockMode = 'Exclusive', @LockOwner = 'Transaction', @LockTimeout = ?; select @result as [got]",
        [key, LOCK_WAIT_MS],
      );
      // 0 granted, 1 granted after waiting; below 0 timed out (-1), cancelled, deadlocked or refused.
      if (!(Number(lock?.got) >= 0)) throw Object.assign(new Error(`waited ${LOCK_WAIT_MS / 1000} s for lock ${key}`), { number: 1222 });
      return work(trx);
    }),

  async insertId(trx, table, row) {
    // Aliased: Babelfish names an unaliased OUTPUT column "id".
    const [inserted] = await trx(table).insert(row).returning('Id as Id');
    return Number(inserted.Id);
  },

  async columns(db: Knex, table: string): Promise<ColumnInfo[]> {
    const rows: Array<{ name: string; nullable: string; def: string | null; identity: number | null }> = await db('INFORMATION_SCHEMA.COLUMNS')
      .where({ TABLE_NAME: table })
      .whereRaw('TABLE_SCHEMA = SCHEMA_NAME()')
      .orderBy('ORDINAL_POSITION')
      .select({
        name: 'COLUMN_NAME',
        nullable: 'IS_NULLABLE',
        def: 'COLUMN_DEFAULT',
        identity: db.raw("COLUMNPROPERTY(OBJECT_ID(QUOTENAME(TABLE_SCHEMA) + '.' + QUOTENAME(TABLE_NAME)), COLUMN_NAME, 'IsIdentity')"),
      });
    // NVARCHAR holds every Unicode character: no column here needs text scrubbed (charset null).
    return rows.map((c) => ({ name: c.name, nullable: c.nullable === 'YES', hasDefault: c.def !== null || Number(c.identity) === 1, charset: null }));
  },

  isTransient(error) {
    const e = error as { code?: string; number?: number; message?: string; errors?: unknown[] } | null;
    if (e?.errors?.some((inner) => mssql.isTransient(inner))) return true;
    const code = String(e?.code ?? '');
    return (
      SOCKET_ERRORS.has(code) ||
      TRANSIENT_CODES.has(code) ||
      TRANSIENT_NUMBERS.has(Number(e?.number)) ||
      isPoolTimeout(error) ||
      /Connection lost|connection is closed|Connection closed/i.test(e?.message ?? '')
    );
  },
};
