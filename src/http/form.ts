import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from './errors';

/** An HTML form's fields are a few short values; anything larger is not one of our forms. */
const FORM_LIMIT_BYTES = 16 * 1024;

/** Reads an HTML form post (application/x-www-form-urlencoded, UTF-8). */
export async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new AppError('unsupported-media-type', 'Expected an HTML form (application/x-www-form-urlencoded).');
  }
  const body = await getRawBody(ctx.req, { length: ctx.get('Content-Length') || null, limit: FORM_LIMIT_BYTES, encoding: 'utf8' });
  return new URLSearchParams(body);
}
