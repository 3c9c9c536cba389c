import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { PrintRoomSettings } from './announcements/settings';
import { MAX_IMAGE_SIDE } from './images/png';
import type { NopCommerceSettings } from './nopcommerce/adapter';
import { mssqlConnection } from './nopcommerce/dialects/mssql';
import { NOP_VERSIONS } from './nopcommerce/schema';
import { WEIGHT_UNITS, type WeightUnit } from './nopcommerce/settings';
import type { BodyRetention } from './deliveries/store';
import { QUEUE_FROM, type QueueFrom } from './print-queue/types';
import type { SnippetValues } from './snippets/snippets';
import { TOKEN_FORMAT } from './webhook-tokens/tokens';

const MiB = 1024 * 1024;

const port = z.coerce.number().int().min(0).max(65535);
const byteSize = z.coerce.number().int().min(1024).max(256 * MiB);
const absoluteHttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));
const token = z.string().regex(TOKEN_FORMAT, 'each token must be 22-200 characters of A-Z a-z 0-9 _ -');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://');
// The shop's database: nopCommerce runs on PostgreSQL, MySQL/MariaDB or SQL Server.
const shopDatabaseUrl = z
  .string()
  .regex(/^(postgres(ql)?|mysql|mssql):\/\//, 'must start with postgres://, postgresql://, mysql:// or mssql://')
  .superRefine((url, ctx) => {
    if (!url.startsWith('mssql://')) return;
    try {
      mssqlConnection(url);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${(error as Error).message} (mssql://user:password@host:1433/database?encrypt=true)` });
    }
  });
const id = z.coerce.number().int().positive();
const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');
const email = z.email({ message: 'must be an e-mail address such as print@myshop.com' });
// The password is in the URL: messages about it never repeat its value.
const smtpUrl = z.string().refine((value) => {
  try {
    return ['smtp:', 'smtps:'].includes(new URL(value).protocol) && new URL(value).hostname !== '';
  } catch {
    return false;
  }
}, 'must be smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465 (TLS)');
// Standard Webhooks: a symmetric secret is 24-64 random bytes, serialised as whsec_ and base64.
const webhookSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be whsec_ followed by base64, as Standard Webhooks serialises a secret')
  .refine((value) => {
    const bytes = Buffer.from(value.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'must hold 24 to 64 bytes after whsec_ (generate one with: node -e "console.log(\'whsec_\' + require(\'crypto\').randomBytes(32).toString(\'base64\'))")');

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  IMAGE_DIR: z.string().min(1).optional(),
  PUBLIC_BASE_URL: absoluteHttpUrl.optional(),
  // Each reverse proxy appends the address it saw to X-Forwarded-For, so only the rightmost TRUST_PROXY entries
  // were written by proxies; what is left of them the client wrote itself, and may have invented.
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2})$/, 'must be false, true (one proxy) or the number of proxies in front of kitbridge')
    .default('false')
    .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v))),
  WEBHOOK_TOKENS: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(token).min(1, 'must list at least one token'))
    .optional(),
  // A 2,000 x 2,000 kit render as PNG is typically 2-6 MB; base64 adds a third, the HTML and roster are small.
  // 8 MiB of image therefore needs ~10.7 MiB of JSON, and 12 MiB of body leaves headroom for the rest.
  MAX_BODY_BYTES: byteSize.default(12 * MiB),
  MAX_IMAGE_BYTES: byteSize.default(8 * MiB),
  // Browsers and nopCommerce's thumbnail generator hold every pixel in memory: 4 bytes each once decoded, up to
  // 8 in a 16-bit PNG. 40 megapixels is ten 2,000 x 2,000 renders' worth (160-320 MB to show one).
  MAX_IMAGE_PIXELS: z.coerce.number().int().min(1).max(MAX_IMAGE_SIDE ** 2).default(40_000_000),
  // Room for the database (often on the same disk), its write-ahead log and the logs to keep working after
  // images stop: a database that cannot write loses deliveries without images too. 0 turns the floor off.
  MIN_FREE_DISK_BYTES: z.coerce.number().int().min(0).default(1024 * MiB),
  // A 12 MiB body over a slow 2 Mbit/s uplink takes ~50 s.
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as DKK or EUR')
    .optional(),
  ADMIN_TOKEN: token.optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  FAILED_DELIVERY_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  FAILED_DELIVERY_MAX_BYTES: z.coerce.number().int().min(0).default(1024 * MiB),
  CATALOG: z.enum(['own', 'nopcommerce']).default('own'),
  NOPCOMMERCE_DATABASE_URL: shopDatabaseUrl.optional(),
  NOPCOMMERCE_STORE_ID: id.default(1),
  NOPCOMMERCE_TAX_CATEGORY_ID: id.optional(),
  NOPCOMMERCE_CATEGORY_ID: id.optional(),
  NOPCOMMERCE_VERSION: z.enum(NOP_VERSIONS).optional(),
  NOPCOMMERCE_PICTURE_DIR: z.string().min(1).optional(),
  // The unit of Kit Builder's UnitWeight; the adapter converts it into the shop's base weight unit.
  KITBUILDER_WEIGHT_UNIT: z.enum(Object.keys(WEIGHT_UNITS) as [WeightUnit, ...WeightUnit[]]).default('kg'),
  // No default: a wrong guess charges every shopper the tax twice, or not at all (see missingSettings).
  KITBUILDER_PRICES_INCLUDE_TAX: z.enum(['true', 'false'], { message: 'must be true or false' }).transform((v) => v === 'true').optional(),
  // nopCommerce's CacheConfig.DefaultCacheTime (appsettings.json, minutes): how long it may still sell a
  // product kitbridge has retired from its cache.
  NOPCOMMERCE_CACHE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60),
  SHOP_BASE_URL: absoluteHttpUrl.optional(),
  PRINT_QUEUE_FROM: z.enum(QUEUE_FROM).default('paid'),
  // Shorter only for trying it out (and the end-to-end test): each read costs the shop's database a few queries.
  PRINT_QUEUE_INTERVAL_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
  KITBUILDER_DISTRIBUTOR_ID: z.string().regex(/^[\w-]{1,100}$/, 'must be the id Kit Builder gave you').optional(),
  KITBUILDER_DISTRIBUTOR_KEY: z.string().regex(/^[\w-]{1,200}$/, 'must be the key Kit Builder gave you').optional(),
  KITBUILDER_CURRENCY_SYMBOL: z.string().max(10).optional(),
  // For the CLI: where the running service is (default: where the service in DATA_DIR says it listens, else
  // http://localhost:$PORT).
  KITBRIDGE_URL: absoluteHttpUrl.optional(),
  // The print room is told of each order that becomes "to print" (docs/guides/print-room.md).
  SMTP_URL: smtpUrl.optional(),
  SMTP_FROM: z
    .string()
    .regex(/^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/, 'must be an address, or a name and an address: Print room <kits@myshop.com>')
    .optional(),
  PRINT_ROOM_EMAIL: z
    .string()
    .transform((value) => value.split(',').map((a) => a.trim()).filter(Boolean))
    .pipe(z.array(email).min(1, 'must list at least one address'))
    .optional(),
  PRINT_ROOM_WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).optional(),
  PRINT_ROOM_WEBHOOK_SECRET: webhookSecret.optional(),
  PRINT_ROOM_ANNOUNCE_EXISTING: boolean.default(false),
  // 1 minute, doubling: the 11th attempt is about 17 hours after the first.
  PRINT_ROOM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(11),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  imageDir: string;
  publicBaseUrl?: string;
  /** reverse proxies in front of kitbridge: the client address is read from X-Forwarded-For through this many */
  proxyHops: number;
  webhookTokens?: string[];
  maxBodyBytes: number;
  maxImageBytes: number;
  maxImagePixels: number;
  /** new images are refused when they would leave less free space than this under the image directory */
  minFreeDiskBytes: number;
  requestTimeoutMs: number;
  currency?: string;
  /** CATALOG=nopcommerce: the shop's database kits are published into; absent, kits live in kitbridge's database only */
  nopCommerce?: NopCommerceSettings;
  /** with nopCommerce: the base of the shop's URLs in links ('' = root-relative) */
  shopBaseUrl?: string;
  /** PRINT_QUEUE_FROM: with the nopCommerce adapter, when a kit order is to print */
  printQueueFrom: QueueFrom;
  /** PRINT_QUEUE_INTERVAL_SECONDS: how often the print queue reads the shop's orders */
  printQueueIntervalMs: number;
  adminToken?: string;
  /** kits older than this many days are cleaned up daily; absent: never */
  retentionDays?: number;
  /** failed deliveries' bodies are kept this long, and this much in all, for replay */
  failedBodies: BodyRetention;
  /** filled into the theme snippets kitbridge serves */
  snippets: SnippetValues;
  /** absent: nobody is told of orders to print */
  printRoom?: PrintRoomSettings;
  logLevel: Env['LOG_LEVEL'];
  /** KITBRIDGE_URL: where the CLI finds the running service, when set */
  serviceUrl?: string;
}

export class ConfigError extends Error {}

const checkedSchema = envSchema.refine((e) => e.MAX_IMAGE_BYTES <= e.MAX_BODY_BYTES, {
  path: ['MAX_IMAGE_BYTES'],
  message: 'must not exceed MAX_BODY_BYTES',
});

/** Settings another one makes required; read from the raw values, so they are reported with every other problem. */
function missingSettings(present: Record<string, unknown>): string[] {
  return [...catalogSettings(present), ...printRoomSettings(present)];
}

function catalogSettings(present: Record<string, unknown>): string[] {
  if (present.CATALOG !== 'nopcommerce') return [];
  const problems = ['NOPCOMMERCE_DATABASE_URL', 'NOPCOMMERCE_TAX_CATEGORY_ID']
    .filter((name) => present[name] === undefined)
    .map((name) => `${name} is required when CATALOG=nopcommerce`);
  if (present.KITBUILDER_PRICES_INCLUDE_TAX === undefined) {
    problems.push(
      'KITBUILDER_PRICES_INCLUDE_TAX is required when CATALOG=nopcommerce: true if the prices configured in Kit Builder include tax, ' +
        "false if not. kitbridge writes them so that the shop charges what Kit Builder showed; guessed wrong, every kit's tax is charged twice or not at all",
    );
  }
  // Kit links go into the shop's products (description, admin comment). Without a configured base they would
  // be made from each request's Host header, which whoever sends the request chooses.
  if (present.PUBLIC_BASE_URL === undefined) {
    problems.push(
      "PUBLIC_BASE_URL is required when CATALOG=nopcommerce (kit links are written into the shop's database, so they cannot come from request headers)",
    );
  }
  return problems;
}

/** Settings that go together; each missing one is named with the one that needs it. */
const PRINT_ROOM_PAIRS: Array<[string, string[]]> = [
  ['PRINT_ROOM_EMAIL', ['SMTP_URL', 'SMTP_FROM']],
  ['SMTP_URL', ['PRINT_ROOM_EMAIL']],
  ['SMTP_FROM', ['PRINT_ROOM_EMAIL']],
  ['PRINT_ROOM_WEBHOOK_URL', ['PRINT_ROOM_WEBHOOK_SECRET']],
  ['PRINT_ROOM_WEBHOOK_SECRET', ['PRINT_ROOM_WEBHOOK_URL']],
];

function printRoomSettings(present: Record<string, unknown>): string[] {
  const problems = PRINT_ROOM_PAIRS.flatMap(([setting, needs]) =>
    present[setting] === undefined ? [] : needs.filter((name) => present[name] === undefined).map((name) => `${name} is required when ${setting} is set`),
  );
  const channel = ['PRINT_ROOM_EMAIL', 'PRINT_ROOM_WEBHOOK_URL'].find((name) => present[name] !== undefined);
  if (!channel) return problems;
  // The announcement links to the order's print sheet in the console: an absolute link, to a console that exists.
  if (present.PUBLIC_BASE_URL === undefined) problems.push(`PUBLIC_BASE_URL is required when ${channel} is set (the announcement links to the print sheet)`);
  if (present.ADMIN_TOKEN === undefined) problems.push(`ADMIN_TOKEN is required when ${channel} is set (the print sheet it links to is in the console)`);
  return problems;
}

const SETTINGS = new Set(Object.keys(envSchema.shape));

/**
 * The environment over the `.env` file at `file`, when there is one: a variable set in the environment wins,
 * as with dotenv. Names in the file that are no setting of kitbridge's are returned too: most are typos.
 */
function withDotEnv(env: NodeJS.ProcessEnv, file: string): { env: NodeJS.ProcessEnv; unknown: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { env, unknown: [] };
    throw new ConfigError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const fromFile = parseEnv(text);
  return { env: { ...fromFile, ...env }, unknown: Object.keys(fromFile).filter((name) => !SETTINGS.has(name)) };
}

/**
 * The one place that reads the environment (and, given its path, the .env file). Empty values count as unset,
 * as in most .env tooling. Every invalid or missing setting is reported at once, one line each.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotEnvFile?: string): Config {
  const { env: merged, unknown } = dotEnvFile ? withDotEnv(env, dotEnvFile) : { env, unknown: [] };
  const present = Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedSchema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`)),
    ...missingSettings(present),
    ...unknown.map((name) => `${name} (in ${dotEnvFile}) is not a kitbridge setting; see .env.example`),
  ];
  if (problems.length === 1) throw new ConfigError(`Invalid configuration: ${problems[0]}`);
  if (problems.length > 1) {
    throw new ConfigError(`Invalid configuration (${problems.length} problems):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const e = parsed.data!;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    imageDir: path.resolve(e.IMAGE_DIR ?? path.join(dataDir, 'images')),
    publicBaseUrl: e.PUBLIC_BASE_URL,
    proxyHops: e.TRUST_PROXY,
    webhookTokens: e.WEBHOOK_TOKENS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxImageBytes: e.MAX_IMAGE_BYTES,
    maxImagePixels: e.MAX_IMAGE_PIXELS,
    minFreeDiskBytes: e.MIN_FREE_DISK_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    currency: e.CURRENCY,
    nopCommerce:
      e.CATALOG === 'nopcommerce'
        ? {
            databaseUrl: e.NOPCOMMERCE_DATABASE_URL!,
            storeId: e.NOPCOMMERCE_STORE_ID,
            taxCategoryId: e.NOPCOMMERCE_TAX_CATEGORY_ID!,
            categoryId: e.NOPCOMMERCE_CATEGORY_ID,
            version: e.NOPCOMMERCE_VERSION,
            pictureDir: e.NOPCOMMERCE_PICTURE_DIR && path.resolve(e.NOPCOMMERCE_PICTURE_DIR),
            weightUnit: e.KITBUILDER_WEIGHT_UNIT,
            kitPricesIncludeTax: e.KITBUILDER_PRICES_INCLUDE_TAX!,
            cacheMinutes: e.NOPCOMMERCE_CACHE_MINUTES,
          }
        : undefined,
    shopBaseUrl: e.CATALOG === 'nopcommerce' ? (e.SHOP_BASE_URL ?? '') : undefined,
    printQueueFrom: e.PRINT_QUEUE_FROM,
    printQueueIntervalMs: e.PRINT_QUEUE_INTERVAL_SECONDS * 1000,
    adminToken: e.ADMIN_TOKEN,
    retentionDays: e.RETENTION_DAYS,
    failedBodies: { days: e.FAILED_DELIVERY_RETENTION_DAYS, maxBytes: e.FAILED_DELIVERY_MAX_BYTES },
    snippets: {
      distributorId: e.KITBUILDER_DISTRIBUTOR_ID,
      distributorKey: e.KITBUILDER_DISTRIBUTOR_KEY,
      currencySymbol: e.KITBUILDER_CURRENCY_SYMBOL,
    },
    printRoom: printRoomOf(e),
    logLevel: e.LOG_LEVEL,
    serviceUrl: e.KITBRIDGE_URL,
  };
}

function printRoomOf(e: Env): PrintRoomSettings | undefined {
  if (!e.PRINT_ROOM_EMAIL && !e.PRINT_ROOM_WEBHOOK_URL) return undefined;
  return {
    email: e.PRINT_ROOM_EMAIL && { smtpUrl: e.SMTP_URL!, from: e.SMTP_FROM!, to: e.PRINT_ROOM_EMAIL },
    webhook: e.PRINT_ROOM_WEBHOOK_URL ? { url: e.PRINT_ROOM_WEBHOOK_URL, secret: e.PRINT_ROOM_WEBHOOK_SECRET! } : undefined,
    publicBaseUrl: e.PUBLIC_BASE_URL!,
    announceExisting: e.PRINT_ROOM_ANNOUNCE_EXISTING,
    maxAttempts: e.PRINT_ROOM_MAX_ATTEMPTS,
  };
}

const LOCAL_HOSTS = /^(localhost|127(\.\d+){3}|\[::1\])$/;

/**
 * Settings that start but disagree about HTTPS, each as one line saying what a shopper or the owner would meet
 * and what to set. Said at start (stderr and the log), so that they are not found by a shopper first.
 */
export function httpsWarnings(config: Config): string[] {
  const warnings: string[] = [];
  const base = config.publicBaseUrl ? new URL(config.publicBaseUrl) : undefined;
  if (base?.protocol === 'https:' && config.proxyHops === 0) {
    warnings.push(
      'TRUST_PROXY is false but PUBLIC_BASE_URL is https: the TLS proxy in front is every client\'s address, so the delivery log names the proxy and one guesser locks everyone out of the console; set TRUST_PROXY=1',
    );
  }
  if (base?.protocol === 'http:' && !LOCAL_HOSTS.test(base.hostname)) {
    warnings.push(
      `PUBLIC_BASE_URL is http: kit links and images go to shoppers unencrypted (an https shop's browser blocks or upgrades them) and console cookies are not Secure; put kitbridge behind HTTPS and set PUBLIC_BASE_URL=https://${base.host}`,
    );
  }
  if (!base && config.proxyHops > 0) {
    warnings.push(
      `PUBLIC_BASE_URL is unset but TRUST_PROXY is ${config.proxyHops}: links are made from the forwarded Host and scheme, which a client can choose; set PUBLIC_BASE_URL to the https address Kit Builder uses`,
    );
  }
  return warnings;
}
