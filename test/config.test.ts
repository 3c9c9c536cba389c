import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mssqlConnection } from '../src/nopcommerce/dialects/mssql';
import { loadConfig } from '../src/config';

it('starts with no configuration on the embedded database under ./data', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: path.resolve('data'), maxBodyBytes: 12 * 1024 * 1024 });
  expect(config.imageDir).toBe(path.resolve('data/images'));
  expect(config).toMatchObject({ maxImagePixels: 40_000_000, minFreeDiskBytes: 1024 ** 3 });
});

it('reads the image limits, and a disk floor of 0 turns it off', () => {
  expect(loadConfig({ MAX_IMAGE_PIXELS: '4000000', MIN_FREE_DISK_BYTES: '0' })).toMatchObject({ maxImagePixels: 4_000_000, minFreeDiskBytes: 0 });
});

it('reads every setting', () => {
  const config = loadConfig({
    PORT: '8080',
    DATABASE_URL: 'postgres://u@db/kb',
    PUBLIC_BASE_URL: 'https://kits.example.com/',
    WEBHOOK_TOKENS: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
    CURRENCY: 'DKK',
    KITBUILDER_DISTRIBUTOR_ID: 'shop-42',
    KITBUILDER_DISTRIBUTOR_KEY: 'k3y',
    KITBUILDER_CURRENCY_SYMBOL: '€',
  });
  expect(config).toMatchObject({
    snippets: { distributorId: 'shop-42', distributorKey: 'k3y', currencySymbol: '€' },
    port: 8080,
    databaseUrl: 'postgres://u@db/kb',
    publicBaseUrl: 'https://kits.example.com',
    webhookTokens: ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'],
    currency: 'DKK',
  });
});

it('turns the nopCommerce catalog on only when asked, with the shop base URL for links', () => {
  expect(loadConfig({}).nopCommerce).toBeUndefined();
  const config = loadConfig({
    CATALOG: 'nopcommerce',
    NOPCOMMERCE_DATABASE_URL: 'postgres://kitbridge@shop-db/nop',
    NOPCOMMERCE_TAX_CATEGORY_ID: '3',
    NOPCOMMERCE_VERSION: '4.80',
    SHOP_BASE_URL: 'https://shop.example.com/',
    PUBLIC_BASE_URL: 'https://kits.example.com',
  });
  expect(config.nopCommerce).toEqual({ databaseUrl: 'postgres://kitbridge@shop-db/nop', storeId: 1, taxCategoryId: 3, version: '4.80', weightUnit: 'kg' });
  expect(config.shopBaseUrl).toBe('https://shop.example.com');
});

it('accepts a MySQL or MariaDB shop database', () => {
  const config = loadConfig({
    CATALOG: 'nopcommerce',
    NOPCOMMERCE_DATABASE_URL: 'mysql://kitbridge:pw@shop-db:3306/nopcommerce',
    NOPCOMMERCE_TAX_CATEGORY_ID: '1',
    PUBLIC_BASE_URL: 'https://kits.example.com',
  });
  expect(config.nopCommerce?.databaseUrl).toBe('mysql://kitbridge:pw@shop-db:3306/nopcommerce');
});

it('accepts a SQL Server shop database, its options as query parameters and a named instance', () => {
  const env = { CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'https://kits.example.com' };
  const azure = 'mssql://kitbridge:p%40ss@shop.database.windows.net:1433/nopcommerce?encrypt=true&trustServerCertificate=false';
  expect(loadConfig({ ...env, NOPCOMMERCE_DATABASE_URL: azure }).nopCommerce?.databaseUrl).toBe(azure);
  expect(mssqlConnection(azure)).toEqual({
    server: 'shop.database.windows.net',
    port: 1433,
    user: 'kitbridge',
    password: 'p@ss',
    database: 'nopcommerce',
    options: { requestTimeout: 60_000, encrypt: true, trustServerCertificate: false },
  });
  const named = 'mssql://kitbridge:pw@WINSRV01\\SQLEXPRESS/nop';
  expect(loadConfig({ ...env, NOPCOMMERCE_DATABASE_URL: named }).nopCommerce?.databaseUrl).toBe(named);
  expect(mssqlConnection(named)).toMatchObject({ server: 'WINSRV01', database: 'nop', options: { instanceName: 'SQLEXPRESS' } });
});

it.each([
  [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
  [{ PORT: '70000' }, /^Invalid configuration: PORT /],
  [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must start with postgres:\/\//],
  [{ PUBLIC_BASE_URL: 'kits.example.com' }, /^Invalid configuration: PUBLIC_BASE_URL must be an absolute http\(s\) URL/],
  [{ WEBHOOK_TOKENS: 'short' }, /^Invalid configuration: WEBHOOK_TOKENS\.0 each token must be/],
  [{ MAX_BODY_BYTES: '12MB' }, /^Invalid configuration: MAX_BODY_BYTES /],
  [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
  [{ MAX_IMAGE_PIXELS: '100000001' }, /^Invalid configuration: MAX_IMAGE_PIXELS /],
  [{ MIN_FREE_DISK_BYTES: '-1' }, /^Invalid configuration: MIN_FREE_DISK_BYTES /],
  [{ CURRENCY: 'kr' }, /^Invalid configuration: CURRENCY must be an ISO 4217 code/],
  [{ MAX_BODY_BYTES: '100000', MAX_IMAGE_BYTES: '200000' }, /MAX_IMAGE_BYTES must not exceed MAX_BODY_BYTES/],
  [{ CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'https://kits.example.com' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL is required when CATALOG=nopcommerce$/],
  [{ CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop' }, /NOPCOMMERCE_TAX_CATEGORY_ID is required/],
  [
    { CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop', NOPCOMMERCE_TAX_CATEGORY_ID: '3' },
    /^Invalid configuration: PUBLIC_BASE_URL is required when CATALOG=nopcommerce \(kit links are written into the shop's database/,
  ],
  [{ NOPCOMMERCE_VERSION: '4.50' }, /^Invalid configuration: NOPCOMMERCE_VERSION /],
  [{ NOPCOMMERCE_DATABASE_URL: 'sqlserver://shop' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL must start with postgres:\/\/, postgresql:\/\/, mysql:\/\/ or mssql:\/\//],
  [{ NOPCOMMERCE_DATABASE_URL: 'mssql://' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL must look like mssql:\/\/user:password@host:1433\/database/],
  [{ NOPCOMMERCE_DATABASE_URL: 'mssql://u:p@shop-db/nop?encrypt=yes' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL option encrypt must be true or false/],
  [{ NOPCOMMERCE_DATABASE_URL: 'mssql://u:p@shop-db/nop?Encrypt=true' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL has the unknown option Encrypt; SQL Server takes encrypt, trustServerCertificate/],
  [{ CATALOG: 'shopify' }, /^Invalid configuration: CATALOG /],
  [{ TRUST_PROXY: 'yes' }, /^Invalid configuration: TRUST_PROXY must be false, true \(one proxy\) or the number of proxies/],
  [{ TRUST_PROXY: '-1' }, /^Invalid configuration: TRUST_PROXY /],
  [{ KITBUILDER_DISTRIBUTOR_ID: 'a"><script>' }, /^Invalid configuration: KITBUILDER_DISTRIBUTOR_ID must be the id Kit Builder gave you/],
])('refuses to start with %p, naming the variable', (env, message) => {
  expect(() => loadConfig(env)).toThrow(message);
});

it.each([
  [{}, 0],
  [{ TRUST_PROXY: 'false' }, 0],
  [{ TRUST_PROXY: 'true' }, 1],
  [{ TRUST_PROXY: '0' }, 0],
  [{ TRUST_PROXY: '2' }, 2],
])('reads %p as %i proxies in front', (env, hops) => {
  expect(loadConfig(env).proxyHops).toBe(hops);
});

it('reports every invalid or missing setting at once, one line each', () => {
  let message = '';
  try {
    loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '3' });
  } catch (error) {
    message = (error as Error).message;
  }
  const [head, ...lines] = message.split('\n');
  expect(head).toBe('Invalid configuration (4 problems):');
  expect(lines.map((line) => line.trim().split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'NOPCOMMERCE_DATABASE_URL', 'PORT', 'PUBLIC_BASE_URL']);
});

describe('a .env file', () => {
  const dotEnv = (text: string) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kitbridge-env-')), '.env');
    writeFileSync(file, text);
    return file;
  };

  it('is read when present, and the environment wins over it', () => {
    const file = dotEnv('# kitbridge\nPORT=8081\nCURRENCY="DKK"\nLOG_LEVEL=warn\n');
    const config = loadConfig({ LOG_LEVEL: 'error' }, file);
    expect(config).toMatchObject({ port: 8081, currency: 'DKK', logLevel: 'error' });
  });

  it('is optional', () => {
    expect(loadConfig({}, path.join(os.tmpdir(), 'no-such-dir-kitbridge', '.env')).port).toBe(3000);
  });

  it('may not hold names that are no setting (a typo would be silently ignored), nor invalid values', () => {
    const file = dotEnv('NOPCOMERCE_DATABASE_URL=postgres://shop\nPORT=eighty\n');
    expect(() => loadConfig({}, file)).toThrow(/PORT .*\n.*NOPCOMERCE_DATABASE_URL \(in .*\.env\) is not a kitbridge setting/s);
  });
});
