import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import pino from 'pino';
import { createApp } from './app';
import { openPrintRoom, type PrintRoom } from './announcements/enqueue';
import { housekeeping } from './housekeeping/cleanup';
import { isImageReferenced } from './kits/read';
import { createNopCommerceAdapter, type NopCommerceAdapter } from './nopcommerce/adapter';
import { scheduleQueueJob } from './print-queue/schedule';
import { webhookUrlBanner, type BannerToken } from './webhook/banner';
import { createHtmlSanitizer } from './webhook/sanitizer';
import { createTokenRing } from './webhook-tokens/ring';
import { isTokenRevoked, registerToken } from './webhook-tokens/store';
import { generatedToken, generatedTokenFile } from './webhook-tokens/tokens';
import { ConfigError, httpsWarnings, loadConfig, type Config } from './config';
import { openDatabase, withoutPassword } from './db/database';
import { lockDataDir } from './db/data-dir-lock';
import { writeAddressFile } from './http/address-file';
import { AppError, toProblem } from './http/errors';
import { createHttpServer, listen } from './http/listen';
import { createImageStore } from './images/store';
import { DAY_MS } from './shared/time';

const SHUTDOWN_GRACE_MS = 10_000;
const TOKEN_REFRESH_MS = 2_000;
// How soon after an order becomes "to print" the print room hears of it, at most (or the print queue's
// interval, when that is shorter).
const ANNOUNCE_EVERY_MS = 15_000;

async function main(config: Config): Promise<void> {
  // Asynchronous: under load, log lines are coalesced into few write system calls instead of one each
  // (measured +10-30% throughput); flushed on shutdown. A crash may lose the last lines, never a delivery.
  const destination = pino.destination({ sync: false, minLength: 0 });
  const logger = pino({ level: config.logLevel, base: { service: 'kitbridge' } }, destination);
  for (const warning of httpsWarnings(config)) {
    process.stderr.write(`kitbridge: ${warning}\n`);
    logger.warn({ warning }, 'settings disagree about HTTPS');
  }
  await writable(config.dataDir, 'DATA_DIR');
  await writable(config.imageDir, 'IMAGE_DIR');
  // Before the embedded database opens its files: a second process on them must not even start.
  const lock = config.databaseUrl ? undefined : await lockDataDir(config.dataDir);
  // Listen before anything slow, so a taken port is said at once; until the app is ready, requests are told
  // to come back (Kit Builder retries a 503).
  let handle: http.RequestListener = starting;
  const server = createHttpServer((request, response) => handle(request, response), { requestTimeoutMs: config.requestTimeoutMs });
  const port = await listen(server, config.port, config.host);
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate().catch((error: Error) => {
    const setting = config.databaseUrl ? 'DATABASE_URL' : 'DATA_DIR';
    throw new Error(`cannot open ${database.describe()} (${setting}): ${error.message}`);
  });
  const db = database.knex;
  const images = createImageStore(config.imageDir);
  const html = createHtmlSanitizer();
  const swept = await images.sweep((name) => isImageReferenced(db, name));
  if (swept.committed + swept.removed > 0) logger.warn(swept, 'finished or removed image files left by a crash');

  // WEBHOOK_TOKENS are fixed by configuration; otherwise the generated token is registered so it can be revoked.
  const configured = config.webhookTokens ?? [];
  let shown: BannerToken = { source: 'none' };
  if (configured[0]) {
    shown = { source: 'WEBHOOK_TOKENS', token: configured[0] };
  } else {
    const { token, generatedNow } = await generatedToken(config.dataDir);
    await registerToken(db, token, 'generated at first start');
    if (!(await isTokenRevoked(db, token))) shown = { source: 'generated', token, file: generatedTokenFile(config.dataDir), generatedNow };
  }
  const tokens = createTokenRing(db, configured, TOKEN_REFRESH_MS, (error) =>
    logger.warn({ err: { message: (error as Error).message } }, 'could not re-read webhook tokens; keeping the last list'),
  );
  await tokens.refresh();

  const printRoom = config.printRoom && (await openPrintRoom(db, config.printRoom, logger));
  const shop = config.nopCommerce && { adapter: createNopCommerceAdapter(config.nopCommerce), baseUrl: config.shopBaseUrl ?? '' };
  if (shop) await checkShopDatabase(shop.adapter, config.nopCommerce!.databaseUrl, logger);
  const app = createApp({
    db,
    images,
    logger,
    tokens,
    maxBodyBytes: config.maxBodyBytes,
    maxImageBytes: config.maxImageBytes,
    maxImagePixels: config.maxImagePixels,
    minFreeDiskBytes: config.minFreeDiskBytes,
    html,
    publicBaseUrl: config.publicBaseUrl,
    proxyHops: config.proxyHops,
    currency: config.currency,
    shop,
    printQueueFrom: config.printQueueFrom,
    snippets: config.snippets,
    adminToken: config.adminToken,
    failedBodies: config.failedBodies,
    printRoom,
  });
  handle = app.callback();

  const local = `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host}:${port}`;
  const base = config.publicBaseUrl ?? local;
  const removeAddressFile = await writeAddressFile(config.dataDir, local);
  logger.info(
    { port, database: database.kind, imageDir: config.imageDir, catalog: shop ? 'nopcommerce' : 'own', admin: Boolean(config.adminToken) },
    'kitbridge listening',
  );
  // The URL holds the secret: never in the structured log, and in full only where it is not kept (see there).
  process.stdout.write(webhookUrlBanner(base, shown, { terminal: process.stdout.isTTY === true }));

  const dailyJob = () =>
    void housekeeping({ db, images, adapter: shop?.adapter }, { retentionDays: config.retentionDays, failedBodies: config.failedBodies })
      .then((done) => logger.info(done, 'daily housekeeping done'))
      .catch((error: Error) => logger.error({ err: { message: error.message } }, 'daily housekeeping failed; will try again tomorrow'));
  const housekeepingTimer = setInterval(dailyJob, DAY_MS).unref();
  setTimeout(dailyJob, 60_000).unref();
  const printQueue = shop && scheduleQueueJob({ db, feed: shop.adapter.orderFeed, from: config.printQueueFrom, onToPrint: printRoom?.enqueueAnnouncement }, config.printQueueIntervalMs, logger);
  const announceMs = Math.min(ANNOUNCE_EVERY_MS, config.printQueueIntervalMs);
  const stopAnnouncing = printRoom ? announceEvery(printRoom, announceMs, logger) : async () => undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    clearInterval(housekeepingTimer);
    tokens.stop();
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    clearTimeout(force);
    await Promise.all([printQueue?.stop(), stopAnnouncing()]);
    await Promise.all([database.close(), shop?.adapter.close(), html.close(), removeAddressFile()]);
    await lock?.release();
    logger.info('stopped');
    destination.flushSync();
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/**
 * Runs the print room's sender every few seconds, one run at a time; returns a stop that waits for the run in
 * progress, so a send that reached its receiver is recorded before the database closes.
 */
function announceEvery(printRoom: PrintRoom, everyMs: number, logger: pino.Logger): () => Promise<void> {
  logger.info({ channels: printRoom.channels, since: Object.fromEntries(printRoom.startedAt) }, 'the print room is told of orders to print placed since');
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    running ??= printRoom.announcer
      .runOnce()
      .catch((error: Error) => logger.error({ err: { message: error.message } }, 'print room announcements could not run; will try again'))
      .finally(() => (running = undefined));
  }, everyMs).unref();
  return async () => {
    clearInterval(timer);
    await running;
    printRoom.announcer.close();
  };
}

/**
 * The shop's database is not needed to start: while it is down, deliveries are answered 503 and Kit Builder
 * retries. But a wrong NOPCOMMERCE_DATABASE_URL should not wait for the first delivery to show, so it is tried
 * once at start and a failure is said at once, naming the setting and the server tried. A shop whose tax
 * settings kitbridge cannot price kits under stops the start: every kit would be charged wrong or refused.
 * (Each delivery reads them again, in its transaction, so a later change in the admin is caught there.)
 */
async function checkShopDatabase(adapter: NopCommerceAdapter, url: string, logger: pino.Logger): Promise<void> {
  let found: Awaited<ReturnType<NopCommerceAdapter['checkConnection']>>;
  try {
    found = await adapter.checkConnection();
  } catch (error) {
    const message = `cannot reach the nopCommerce database at ${withoutPassword(url)} (NOPCOMMERCE_DATABASE_URL): ${(error as Error).message}; deliveries are answered 503 until it answers`;
    process.stderr.write(`kitbridge: ${message}\n`);
    logger.warn({ err: { message: (error as Error).message } }, 'cannot reach the nopCommerce database');
    return;
  }
  if (found.problems.length > 0) throw new Error(`the shop's tax settings do not allow it: ${found.problems.join(' ')}`);
  logger.info({ version: found.version, tax: { ...found.tax, fixedRates: Object.fromEntries(found.tax.fixedRates) } }, 'nopCommerce database reached');
}

/** Answers requests that arrive while the service is still opening its database. */
function starting(_: http.IncomingMessage, response: http.ServerResponse): void {
  const problem = new AppError('database-unavailable', 'kitbridge is starting; retry in a few seconds.');
  response.writeHead(problem.status, { 'Content-Type': 'application/problem+json', 'Retry-After': String(problem.retryAfterSeconds) });
  response.end(JSON.stringify(toProblem(problem)));
}

/** A directory kitbridge must write to, made if missing; one line naming the setting when it cannot be. */
async function writable(dir: string, setting: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.kitbridge-write-test-${process.pid}`);
    await fs.writeFile(probe, '');
    await fs.rm(probe);
  } catch (error) {
    throw new Error(`${setting} ${dir} is not a directory kitbridge can write to (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

let config: Config;
try {
  config = loadConfig(process.env, path.resolve('.env'));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
main(config).catch((error: unknown) => {
  process.stderr.write(`kitbridge could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
