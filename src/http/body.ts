import Bourne from '@hapi/bourne';
import { isUtf8 } from 'node:buffer';
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

// EF BB BF: U+FEFF, the byte order mark, in UTF-8.
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * JSON text to a value. JSON is UTF-8 (RFC 8259, 8.1): bytes that are not (a stray continuation byte, an
 * overlong form, an encoded surrogate, a sequence cut short) are a 400 `invalid-encoding`, never read as
 * U+FFFD, which would give two different bodies the same text, and a body kept for replay another hash than
 * the delivery it replays. A leading byte order mark is skipped, as the RFC lets receivers do: .NET writers
 * (StreamWriter with Encoding.UTF8) add one. Not JSON, or JSON with `__proto__` keys, is a 400 `invalid-json`.
 */
export function parseJson(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) {
    throw new AppError('invalid-encoding', 'The body is not valid UTF-8; JSON must be sent as UTF-8 (RFC 8259).');
  }
  const text = bytes.subarray(bytes.subarray(0, BOM.length).equals(BOM) ? BOM.length : 0).toString('utf8');
  try {
    return Bourne.parse(text, { protoAction: 'error' });
  } catch {
    throw new AppError('invalid-json');
  }
}
