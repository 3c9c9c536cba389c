import path from 'node:path';
import { loadConfig } from '../src/config';

it('starts with no configuration on the embedded database under ./data', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: path.resolve('data'), maxBodyBytes: 12 * 1024 * 1024 });
  expect(config.imageDir).toBe(path.resolve('data/images'));
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
  expect(loadConfig({}).catalog).toBeUndefined();
  const config = loadConfig({
    CATALOG: 'nopcommerce',
    NOPCOMMERCE_DATABASE_URL: 'postgres://kitbridge@shop-db/nop',
    NOPCOMMERCE_TAX_CATEGORY_ID: '3',
    NOPCOMMERCE_VERSION: '4.80',
    SHOP_BASE_URL: 'https://shop.example.com/',
  });
  expect(config.catalog).toEqual({
    nopCommerce: { databaseUrl: 'postgres://kitbridge@shop-db/nop', storeId: 1, taxCategoryId: 3, version: '4.80', weightUnit: 'kg' },
    shopBaseUrl: 'https://shop.example.com',
  });
});

it('accepts a MySQL or MariaDB shop database', () => {
  const config = loadConfig({ CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'mysql://kitbridge:pw@shop-db:3306/nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1' });
  expect(config.catalog?.nopCommerce.databaseUrl).toBe('mysql://kitbridge:pw@shop-db:3306/nopcommerce');
});

it.each([
  [{ PORT: 'eighty' }, /^Invalid configuration: PORT /],
  [{ PORT: '70000' }, /^Invalid configuration: PORT /],
  [{ DATABASE_URL: 'mysql://x' }, /^Invalid configuration: DATABASE_URL must start with postgres:\/\//],
  [{ PUBLIC_BASE_URL: 'kits.example.com' }, /^Invalid configuration: PUBLIC_BASE_URL must be an absolute http\(s\) URL/],
  [{ WEBHOOK_TOKENS: 'short' }, /^Invalid configuration: WEBHOOK_TOKENS\.0 each token must be/],
  [{ MAX_BODY_BYTES: '12MB' }, /^Invalid configuration: MAX_BODY_BYTES /],
  [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
  [{ CURRENCY: 'kr' }, /^Invalid configuration: CURRENCY must be an ISO 4217 code/],
  [{ MAX_BODY_BYTES: '100000', MAX_IMAGE_BYTES: '200000' }, /MAX_IMAGE_BYTES must not exceed MAX_BODY_BYTES/],
  [{ CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL is required when CATALOG=nopcommerce$/],
  [{ CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop' }, /NOPCOMMERCE_TAX_CATEGORY_ID is required/],
  [{ NOPCOMMERCE_VERSION: '4.50' }, /^Invalid configuration: NOPCOMMERCE_VERSION /],
  [{ NOPCOMMERCE_DATABASE_URL: 'mssql://shop' }, /^Invalid configuration: NOPCOMMERCE_DATABASE_URL must start with postgres:\/\/, postgresql:\/\/ or mysql:\/\//],
  [{ CATALOG: 'shopify' }, /^Invalid configuration: CATALOG /],
  [{ KITBUILDER_DISTRIBUTOR_ID: 'a"><script>' }, /^Invalid configuration: KITBUILDER_DISTRIBUTOR_ID must be the id Kit Builder gave you/],
])('refuses to start with %p, naming the variable', (env, message) => {
  expect(() => loadConfig(env)).toThrow(message);
});
