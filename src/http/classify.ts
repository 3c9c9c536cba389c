import { AppError } from './errors';

/** Errors from raw-body, the webhook's body reader, carry a `type`; they become client errors. */
const BODY_ERRORS: Record<string, () => AppError> = {
  'entity.too.large': () => new AppError('payload-too-large'),
  'request.size.invalid': () => new AppError('bad-request', 'The body is shorter or longer than its Content-Length.'),
  'request.aborted': () => new AppError('bad-request', 'The client closed the connection before the body arrived.'),
};

// Connection-level failures: the database is down, restarting, or out of connections.
const DB_UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/** Maps anything thrown below the HTTP layer to the error a client should see. */
export function classify(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as { type?: string; code?: string; name?: string; message?: string } | null;
  if (e?.type && BODY_ERRORS[e.type]) return BODY_ERRORS[e.type]!();
  const code = String(e?.code ?? '');
  // A disk filled up by other writers after the free-space check (receive.ts): kept for replay, like that check.
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('insufficient-storage');
  if (
    DB_UNAVAILABLE_CODES.has(code) ||
    code.startsWith('08') ||
    e?.name === 'KnexTimeoutError' ||
    /Connection terminated|Client has encountered a connection error|connect ECONNREFUSED/.test(e?.message ?? '')
  ) {
    return new AppError('database-unavailable');
  }
  return new AppError('internal');
}
