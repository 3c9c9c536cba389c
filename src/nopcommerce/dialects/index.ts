import type { Dialect } from './dialect';
import { mssql } from './mssql';
import { mysql } from './mysql';
import { postgres } from './postgres';

/** The engine of a shop's database, from its URL's scheme. */
export function dialectFor(url: string): Dialect {
  if (/^postgres(ql)?:\/\//.test(url)) return postgres;
  if (/^mysql:\/\//.test(url)) return mysql;
  if (/^mssql:\/\//.test(url)) return mssql;
  throw new Error('NOPCOMMERCE_DATABASE_URL must start with postgres://, mysql:// or mssql://');
}
