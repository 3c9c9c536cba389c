import Bourne from '@hapi/bourne';
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from './errors';

/**
 * Reads a JSON request's body as bytes, at most `limitBytes`. Bytes rather than text: a delivery is identified
 * by their hash, and a repeated delivery is answered without parsing them. Errors are raw-body's (413 beyond
 * the limit, 400 when the body is shorter or longer than its Content-Length or the client gives up); a body
 * that stalls is ended by the server's request timeout (408).
 */
export async function readJsonBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  if (!ctx.is('application/json')) throw new AppError('unsupported-media-type');
  const charset = ctx.request.charset.toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('unsupported-media-type', `JSON is read as UTF-8, not ${charset}.`);
  }
  const encoding = ctx.get('Content-Encoding').toLowerCase();
  if (encoding && encoding !== 'identity') {
    throw new AppError('unsupported-media-type', `Unsupported content encoding ${encoding}: send the body uncompressed.`);
  }
  return getRawBody(ctx.req, { length: ctx.get('Content-Length') || null, limit: limitBytes });
}

/** JSON text to a value; not JSON, or JSON with `__proto__` keys, is a 400. */
export function parseJson(bytes: Buffer): unknown {
  try {
    return Bourne.parse(bytes.toString('utf8'), { protoAction: 'error' });
  } catch {
    throw new AppError('invalid-json');
  }
}
