import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mssqlConnection } from '../src/nopcommerce/dialects/mssql';
import { httpsWarnings, loadConfig } from '../src/config';

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
    KITBUILDER_PRICES_INCLUDE_TAX: 'true',
  });
  expect(config.nopCommerce).toEqual({
    databaseUrl: 'postgres://kitbridge@shop-db/nop',
    storeId: 1,
    taxCategoryId: 3,
    version: '4.80',
    weightUnit: 'kg',
    kitPricesIncludeTax: true,
    cacheMinutes: 60,
  });
  expect(config.shopBaseUrl).toBe('https://shop.example.com');
});

it('puts kit orders to print once paid unless PRINT_QUEUE_FROM says processing, and refuses anything else', () => {
  expect(loadConfig({}).printQueueFrom).toBe('paid');
  expect(loadConfig({ PRINT_QUEUE_FROM: 'processing' }).printQueueFrom).toBe('processing');
  expect(() => loadConfig({ PRINT_QUEUE_FROM: 'shipped' })).toThrow(/PRINT_QUEUE_FROM Invalid option: expected one of "paid"\|"processing"/);
});

it('reads the shop for the print queue every minute unless PRINT_QUEUE_INTERVAL_SECONDS says otherwise, never more often than every 2 s', () => {
  expect(loadConfig({}).printQueueIntervalMs).toBe(60_000);
  expect(loadConfig({ PRINT_QUEUE_INTERVAL_SECONDS: '2' }).printQueueIntervalMs).toBe(2_000);
  expect(() => loadConfig({ PRINT_QUEUE_INTERVAL_SECONDS: '1' })).toThrow(/PRINT_QUEUE_INTERVAL_SECONDS Too small: expected number to be >=2/);
  expect(() => loadConfig({ PRINT_QUEUE_INTERVAL_SECONDS: '0.5' })).toThrow(/PRINT_QUEUE_INTERVAL_SECONDS/);
});

it('accepts a MySQL or MariaDB shop database', () => {
  const config = loadConfig({
    CATALOG: 'nopcommerce',
    NOPCOMMERCE_DATABASE_URL: 'mysql://kitbridge:pw@shop-db:3306/nopcommerce',
    NOPCOMMERCE_TAX_CATEGORY_ID: '1',
    PUBLIC_BASE_URL: 'https://kits.example.com',
    KITBUILDER_PRICES_INCLUDE_TAX: 'false',
    NOPCOMMERCE_CACHE_MINUTES: '240',
  });
  expect(config.nopCommerce).toMatchObject({ kitPricesIncludeTax: false, cacheMinutes: 240 });
  expect(config.nopCommerce?.databaseUrl).toBe('mysql://kitbridge:pw@shop-db:3306/nopcommerce');
});

it('accepts a SQL Server shop database, its options as query parameters and a named instance', () => {
  const env = { CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'https://kits.example.com', KITBUILDER_PRICES_INCLUDE_TAX: 'false' };
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
  [
    { CATALOG: 'nopcommerce', NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'https://kits.example.com', KITBUILDER_PRICES_INCLUDE_TAX: 'true' },
    /^Invalid configuration: NOPCOMMERCE_DATABASE_URL is required when CATALOG=nopcommerce$/,
  ],
  [
    { CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop', NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'https://kits.example.com' },
    /^Invalid configuration: KITBUILDER_PRICES_INCLUDE_TAX is required when CATALOG=nopcommerce: true if the prices configured in Kit Builder include tax, false if not\. .*charged twice or not at all$/,
  ],
  [{ KITBUILDER_PRICES_INCLUDE_TAX: 'yes' }, /^Invalid configuration: KITBUILDER_PRICES_INCLUDE_TAX must be true or false$/],
  [{ NOPCOMMERCE_CACHE_MINUTES: '-5' }, /^Invalid configuration: NOPCOMMERCE_CACHE_MINUTES /],
  [{ CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop' }, /NOPCOMMERCE_TAX_CATEGORY_ID is required/],
  [
    { CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: 'postgres://shop', NOPCOMMERCE_TAX_CATEGORY_ID: '3', KITBUILDER_PRICES_INCLUDE_TAX: 'false' },
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
  expect(head).toBe('Invalid configuration (5 problems):');
  expect(lines.map((line) => line.trim().split(' ')[0]).sort()).toEqual([
    'KITBUILDER_PRICES_INCLUDE_TAX',
    'LOG_LEVEL',
    'NOPCOMMERCE_DATABASE_URL',
    'PORT',
    'PUBLIC_BASE_URL',
  ]);
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

describe('the print room announcements', () => {
  const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  const base = { PUBLIC_BASE_URL: 'https://kits.myshop.com', ADMIN_TOKEN: 'a'.repeat(30) };
  const both = {
    ...base,
    SMTP_URL: 'smtps://kits:p%40ss@mail.myshop.com:465',
    SMTP_FROM: 'Print room <kits@myshop.com>',
    PRINT_ROOM_EMAIL: 'print@myshop.com, boss@myshop.com',
    PRINT_ROOM_WEBHOOK_URL: 'https://chat.example.com/hooks/abc/',
    PRINT_ROOM_WEBHOOK_SECRET: SECRET,
    PRINT_ROOM_ANNOUNCE_EXISTING: 'true',
  };
  const problemsOf = (env: Record<string, string | undefined>): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      const message = (error as Error).message;
      return message.includes('\n') ? message.split('\n').slice(1).map((line) => line.trim()) : [message.replace('Invalid configuration: ', '')];
    }
  };

  it('are off unless a channel is configured', () => {
    expect(loadConfig({}).printRoom).toBeUndefined();
  });

  it('reads the e-mail and the webhook channels', () => {
    const config = loadConfig(both);
    expect(config.printRoom).toEqual({
      email: { smtpUrl: 'smtps://kits:p%40ss@mail.myshop.com:465', from: 'Print room <kits@myshop.com>', to: ['print@myshop.com', 'boss@myshop.com'] },
      webhook: { url: 'https://chat.example.com/hooks/abc/', secret: SECRET },
      publicBaseUrl: 'https://kits.myshop.com',
      announceExisting: true,
      maxAttempts: 11,
    });
  });

  it('refuses to start on each bad or missing value, naming it, without repeating the SMTP password', () => {
    const wrong = { SMTP_URL: 'http://kits:hunter2@mail.myshop.com', SMTP_FROM: 'not an address', PRINT_ROOM_EMAIL: 'print@myshop.com, nobody' };
    const problems = problemsOf({
      ...both,
      ...wrong,
      PRINT_ROOM_WEBHOOK_URL: undefined,
      PRINT_ROOM_WEBHOOK_SECRET: 'whsec_c2hvcnQ=',
      PRINT_ROOM_ANNOUNCE_EXISTING: 'yes',
      PRINT_ROOM_MAX_ATTEMPTS: '0',
    });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual([
      'PRINT_ROOM_ANNOUNCE_EXISTING',
      'PRINT_ROOM_EMAIL.1',
      'PRINT_ROOM_MAX_ATTEMPTS',
      'PRINT_ROOM_WEBHOOK_SECRET',
      'PRINT_ROOM_WEBHOOK_URL',
      'SMTP_FROM',
      'SMTP_URL',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problems).toContain('PRINT_ROOM_WEBHOOK_URL is required when PRINT_ROOM_WEBHOOK_SECRET is set');
    expect(problems.find((p) => p.startsWith('PRINT_ROOM_WEBHOOK_SECRET'))).toContain('24 to 64 bytes');
  });

  it('needs the SMTP server and From with PRINT_ROOM_EMAIL, the secret with the webhook, and the base URL and console with either', () => {
    expect(problemsOf({ PRINT_ROOM_EMAIL: 'print@myshop.com', PRINT_ROOM_WEBHOOK_URL: 'https://hooks.example.com/x' })).toEqual([
      'SMTP_URL is required when PRINT_ROOM_EMAIL is set',
      'SMTP_FROM is required when PRINT_ROOM_EMAIL is set',
      'PRINT_ROOM_WEBHOOK_SECRET is required when PRINT_ROOM_WEBHOOK_URL is set',
      'PUBLIC_BASE_URL is required when PRINT_ROOM_EMAIL is set (the announcement links to the print sheet)',
      'ADMIN_TOKEN is required when PRINT_ROOM_EMAIL is set (the print sheet it links to is in the console)',
    ]);
    expect(problemsOf({ ...base, SMTP_URL: 'smtp://mail.myshop.com:587' })).toEqual(['PRINT_ROOM_EMAIL is required when SMTP_URL is set']);
  });
});

describe('behind HTTPS: settings that disagree are said at start', () => {
  const warningsFor = (env: Record<string, string>) => httpsWarnings(loadConfig(env)).map((w) => w.split(':')[0]);

  it('says nothing for the recipes: an https PUBLIC_BASE_URL behind one proxy, or a local try-out', () => {
    expect(warningsFor({ PUBLIC_BASE_URL: 'https://kits.example.com', TRUST_PROXY: '1', HOST: '127.0.0.1' })).toEqual([]);
    expect(warningsFor({})).toEqual([]);
    expect(warningsFor({ PUBLIC_BASE_URL: 'http://localhost:3000' })).toEqual([]);
  });

  it('says that an https PUBLIC_BASE_URL without TRUST_PROXY makes every client look like the proxy', () => {
    expect(warningsFor({ PUBLIC_BASE_URL: 'https://kits.example.com' })).toEqual(['TRUST_PROXY is false but PUBLIC_BASE_URL is https']);
  });

  it('says that an http PUBLIC_BASE_URL for another host sends shoppers plain-http links and the console cookie unprotected', () => {
    expect(warningsFor({ PUBLIC_BASE_URL: 'http://kits.example.com', TRUST_PROXY: '1' })).toEqual(['PUBLIC_BASE_URL is http']);
  });

  it('says that a proxy without PUBLIC_BASE_URL lets the forwarded headers choose the links', () => {
    expect(warningsFor({ TRUST_PROXY: '1' })).toEqual(['PUBLIC_BASE_URL is unset but TRUST_PROXY is 1']);
  });
});
