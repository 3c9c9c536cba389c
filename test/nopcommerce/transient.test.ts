import { shopFailure } from '../../src/nopcommerce/errors';
import { postgres } from '../../src/nopcommerce/dialects/postgres';

/** Errors as the drivers raise them: node-postgres puts the SQLSTATE in `code`, sockets their errno name. */
const failure = (fields: { code?: string; message?: string; name?: string }) => Object.assign(new Error(fields.message ?? 'x'), fields);

describe('PostgreSQL failures of the shop database', () => {
  it.each([
    ['a refused connection', { code: 'ECONNREFUSED' }],
    ['a reset connection', { code: 'ECONNRESET' }],
    ['a connection the server ended', { message: 'Connection terminated unexpectedly' }],
    ['an administrator shutdown', { code: '57P01' }],
    ['a connection exception (class 08)', { code: '08006' }],
    ['too many connections', { code: '53300' }],
    ['a serialization failure', { code: '40001' }],
    ['a deadlock', { code: '40P01' }],
    ['a statement timeout', { code: '57014' }],
    ['no pooled connection in time', { name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection.' }],
  ])('are transient for %s: 503 catalog-unavailable with Retry-After', (_, fields) => {
    const error = shopFailure(postgres, failure(fields));
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['catalog-unavailable', 503, 30]);
  });

  it.each([
    ['a missing column', { code: '42703', message: 'column "AgeVerification" of relation "Product" does not exist' }],
    ['a missing table', { code: '42P01', message: 'relation "ProductAttribute" does not exist' }],
    ['a missing permission', { code: '42501', message: 'permission denied for table Product' }],
    ['a refused row', { code: '23514', message: 'new row for relation "Product" violates check constraint "no_big_prices"' }],
    ['a version mismatch', { message: "NOPCOMMERCE_VERSION is 4.90 but the database has 4.80's columns" }],
  ])('are permanent for %s: 500 catalog-refused, no Retry-After, the cause in the detail', (_, fields) => {
    const error = shopFailure(postgres, failure(fields));
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['catalog-refused', 500, undefined]);
    expect(error.detail).toBe(`nopCommerce refused the write: ${fields.message}`);
  });
});
