import { shopFailure } from '../../src/nopcommerce/errors';
import { mssql } from '../../src/nopcommerce/dialects/mssql';
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

/** As tedious raises them: RequestError with the server's error number, ConnectionError with its own code. */
const tediousFailure = (fields: { code?: string; number?: number; message?: string; name?: string }) =>
  Object.assign(new Error(fields.message ?? 'x'), fields);

describe('SQL Server failures of the shop database', () => {
  it.each([
    ['a deadlock', { code: 'EREQUEST', number: 1205, message: 'Transaction (Process ID 52) was deadlocked on lock resources' }],
    ['a lock request timeout', { code: 'EREQUEST', number: 1222, message: 'Lock request time out period exceeded.' }],
    ['the per-delivery lock not granted in time', { number: 1222, message: 'waited 30 s for lock kitbridge:ab' }],
    ['a request timeout', { code: 'ETIMEOUT', name: 'RequestError', message: 'Timeout: Request failed to complete in 60000ms' }],
    ['a connect timeout', { code: 'ETIMEOUT', name: 'ConnectionError', message: 'Failed to connect to shop-db:1433 in 15000ms' }],
    ['a lost connection', { code: 'ESOCKET', message: 'Connection lost - read ECONNRESET' }],
    ['a connection closed under a request', { code: 'ECLOSE', message: 'Connection closed before request completed.' }],
    ['a request on a connection that ended', { code: 'EINVALIDSTATE', message: "Requests can only be made in the LoggedIn state, not the Final state" }],
    ['Azure SQL failing over', { code: 'EREQUEST', number: 40613, message: "Database 'nop' on server 'x' is not currently available." }],
    ['Azure SQL throttling', { code: 'EREQUEST', number: 40501, message: 'The service is currently busy.' }],
  ])('are transient for %s: 503 catalog-unavailable with Retry-After', (_, fields) => {
    const error = shopFailure(mssql, tediousFailure(fields));
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['catalog-unavailable', 503, 30]);
  });

  it.each([
    ['a missing column', { code: 'EREQUEST', number: 207, message: "Invalid column name 'AgeVerification'." }],
    ['a missing table', { code: 'EREQUEST', number: 208, message: "Invalid object name 'ProductAttribute'." }],
    ['a missing permission', { code: 'EREQUEST', number: 229, message: "The INSERT permission was denied on the object 'Product'" }],
    ['a refused row', { code: 'EREQUEST', number: 547, message: 'The INSERT statement conflicted with the CHECK constraint "no_big_prices".' }],
    ['a value too long', { code: 'EREQUEST', number: 2628, message: "String or binary data would be truncated in table 'nop.dbo.Product', column 'Sku'." }],
    ['a refused login', { code: 'ELOGIN', message: "Login failed for user 'kitbridge'." }],
  ])('are permanent for %s: 500 catalog-refused, the cause in the detail', (_, fields) => {
    const error = shopFailure(mssql, tediousFailure(fields));
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(['catalog-refused', 500, undefined]);
    expect(error.detail).toBe(`nopCommerce refused the write: ${fields.message}`);
  });
});
