import path from 'node:path';
import { z } from 'zod';
import type { NopCommerceSettings } from './nopcommerce/adapter';
import { NOP_VERSIONS } from './nopcommerce/schema';
import { WEIGHT_UNITS, type WeightUnit } from './nopcommerce/settings';
import type { BodyRetention } from './deliveries/store';
import type { SnippetValues } from './snippets/snippets';

const MiB = 1024 * 1024;

const port = z.coerce.number().int().min(0).max(65535);
const byteSize = z.coerce.number().int().min(1024).max(256 * MiB);
const absoluteHttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' })
  .transform((url) => url.replace(/\/+$/, ''));
// A token is a path segment: URL-safe characters only, long enough not to be guessed.
const token = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22,200}$/, 'each token must be 22-200 characters of A-Z a-z 0-9 _ -');

const postgresUrl = z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://');
// The shop's database: nopCommerce runs on PostgreSQL or MySQL/MariaDB (SQL Server is not supported yet).
const shopDatabaseUrl = z.string().regex(/^(postgres(ql)?|mysql):\/\//, 'must start with postgres://, postgresql:// or mysql://');
const id = z.coerce.number().int().positive();

const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  IMAGE_DIR: z.string().min(1).optional(),
  PUBLIC_BASE_URL: absoluteHttpUrl.optional(),
  TRUST_PROXY: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  WEBHOOK_TOKENS: z
    .string()
    .transform((value) => value.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(token).min(1, 'must list at least one token'))
    .optional(),
  // A 2,000 x 2,000 kit render as PNG is typically 2-6 MB; base64 adds a third, the HTML and roster are small.
  // 8 MiB of image therefore needs ~10.7 MiB of JSON, and 12 MiB of body leaves headroom for the rest.
  MAX_BODY_BYTES: byteSize.default(12 * MiB),
  MAX_IMAGE_BYTES: byteSize.default(8 * MiB),
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
  SHOP_BASE_URL: absoluteHttpUrl.optional(),
  KITBUILDER_DISTRIBUTOR_ID: z.string().regex(/^[\w-]{1,100}$/, 'must be the id Kit Builder gave you').optional(),
  KITBUILDER_DISTRIBUTOR_KEY: z.string().regex(/^[\w-]{1,200}$/, 'must be the key Kit Builder gave you').optional(),
  KITBUILDER_CURRENCY_SYMBOL: z.string().max(10).optional(),
  // For the CLI: where the running service is (default http://localhost:$PORT).
  KITBRIDGE_URL: absoluteHttpUrl.optional(),
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
  /** behind a reverse proxy: take the client address from X-Forwarded-For */
  trustProxy: boolean;
  webhookTokens?: string[];
  maxBodyBytes: number;
  maxImageBytes: number;
  requestTimeoutMs: number;
  currency?: string;
  /** absent: kits live in kitbridge's database only */
  catalog?: { nopCommerce: NopCommerceSettings; shopBaseUrl: string };
  adminToken?: string;
  /** kits older than this many days are cleaned up daily; absent: never */
  retentionDays?: number;
  /** failed deliveries' bodies are kept this long, and this much in all, for replay */
  failedBodies: BodyRetention;
  /** filled into the theme snippets kitbridge serves */
  snippets: SnippetValues;
  logLevel: Env['LOG_LEVEL'];
  /** where the CLI finds the running service */
  serviceUrl: string;
}

export class ConfigError extends Error {}

/** The one place that reads the environment. Empty values count as unset, as in most .env tooling. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
  }
  const e = parsed.data;
  if (e.MAX_IMAGE_BYTES > e.MAX_BODY_BYTES) {
    throw new ConfigError('Invalid configuration: MAX_IMAGE_BYTES must not exceed MAX_BODY_BYTES');
  }
  if (e.CATALOG === 'nopcommerce') {
    for (const name of ['NOPCOMMERCE_DATABASE_URL', 'NOPCOMMERCE_TAX_CATEGORY_ID'] as const) {
      if (e[name] === undefined) throw new ConfigError(`Invalid configuration: ${name} is required when CATALOG=nopcommerce`);
    }
  }
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    imageDir: path.resolve(e.IMAGE_DIR ?? path.join(dataDir, 'images')),
    publicBaseUrl: e.PUBLIC_BASE_URL,
    trustProxy: e.TRUST_PROXY,
    webhookTokens: e.WEBHOOK_TOKENS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxImageBytes: e.MAX_IMAGE_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    currency: e.CURRENCY,
    catalog:
      e.CATALOG === 'nopcommerce'
        ? {
            nopCommerce: {
              databaseUrl: e.NOPCOMMERCE_DATABASE_URL!,
              storeId: e.NOPCOMMERCE_STORE_ID,
              taxCategoryId: e.NOPCOMMERCE_TAX_CATEGORY_ID!,
              categoryId: e.NOPCOMMERCE_CATEGORY_ID,
              version: e.NOPCOMMERCE_VERSION,
              pictureDir: e.NOPCOMMERCE_PICTURE_DIR && path.resolve(e.NOPCOMMERCE_PICTURE_DIR),
              weightUnit: e.KITBUILDER_WEIGHT_UNIT,
            },
            shopBaseUrl: e.SHOP_BASE_URL ?? '',
          }
        : undefined,
    adminToken: e.ADMIN_TOKEN,
    retentionDays: e.RETENTION_DAYS,
    failedBodies: { days: e.FAILED_DELIVERY_RETENTION_DAYS, maxBytes: e.FAILED_DELIVERY_MAX_BYTES },
    snippets: {
      distributorId: e.KITBUILDER_DISTRIBUTOR_ID,
      distributorKey: e.KITBUILDER_DISTRIBUTOR_KEY,
      currencySymbol: e.KITBUILDER_CURRENCY_SYMBOL,
    },
    logLevel: e.LOG_LEVEL,
    serviceUrl: e.KITBRIDGE_URL ?? `http://localhost:${e.PORT}`,
  };
}
