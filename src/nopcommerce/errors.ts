import { AppError } from '../http/errors';
import type { Dialect } from './dialects/dialect';

/**
 * A failure of the shop's database as the webhook answers it: one that passes by itself is 503 with
 * Retry-After (Kit Builder retries); any other is recorded as failed with its cause, for the operator to fix
 * and replay. The cause is the database's own message: it names the table, column or rule.
 */
export function shopFailure(dialect: Dialect, error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (dialect.isTransient(error)) return new AppError('catalog-unavailable', undefined, { cause: error });
  const message = String((error as Error | null)?.message ?? error).slice(0, 500);
  return new AppError('catalog-refused', `nopCommerce refused the write: ${message}`, { cause: error });
}
