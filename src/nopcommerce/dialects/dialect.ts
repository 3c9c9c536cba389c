import type { Knex } from 'knex';

/** What kitbridge needs to know of one column of a shop table. */
export interface ColumnInfo {
  name: string;
  nullable: boolean;
  /** the column has a default (an identity counts), so an INSERT may leave it out */
  hasDefault: boolean;
  /** the character set of a text column where the engine has one per column (MySQL), else null */
  charset: string | null;
}

/**
 * Everything that differs between the database engines nopCommerce runs on. nopCommerce names tables and
 * columns alike on every engine (docs/nopcommerce/ORDERS-AND-ENGINES.md), so the adapter builds its statements
 * with knex's query builder, which quotes identifiers per engine; what a query builder cannot say lives here,
 * one file per engine. Nothing here assumes a sequence or a session-level lock: SQL Server has IDENTITY
 * columns and sp_getapplock with a transaction owner.
 */
export interface Dialect {
  readonly engine: 'postgres' | 'mysql' | 'mssql';
  /** the most values one statement may bind (SQL Server: 2,100 parameters per request) */
  readonly maxBindings: number;
  /** knex settings; values come back alike on every engine: booleans as booleans, decimals and timestamps as text */
  knexConfig(url: string): Knex.Config;
  /**
   * Runs `work` in one transaction that holds an exclusive lock on `key` until it ends: two attempts at the
   * same delivery (a retry racing a slow first try) take turns.
   */
  lockedTransaction<T>(db: Knex, key: string, work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** Inserts one row and returns its "Id". */
  insertId(trx: Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number>;
  /** The columns of a table of the shop's database; none when it has no such table. */
  columns(db: Knex, table: string): Promise<ColumnInfo[]>;
  /**
   * True for failures that pass by themselves (the connection, a timeout, a serialization failure, a
   * deadlock): the delivery is worth retrying as it is. Anything else (a missing column or table, a refused
   * row, a missing permission) needs the operator.
   */
  isTransient(error: unknown): boolean;
}

/** Timestamps as every engine's driver is set to return them ("2025-01-31 12:00:00[.ffffff]", UTC by nopCommerce's convention). */
export const utcIso = (text: string): string => new Date(`${text.replace(' ', 'T')}Z`).toISOString();

/** Codes Node.js gives a socket that could not reach or lost the server. */
export const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** knex gives up waiting for a pooled connection: the server is slow or unreachable. */
export const isPoolTimeout = (error: unknown) => (error as { name?: string } | null)?.name === 'KnexTimeoutError';
