import { once } from 'node:events';
import pino from 'pino';
import { createApp } from './app';
import { housekeeping } from './housekeeping/cleanup';
import { isImageReferenced } from './kits/read';
import { createNopCommerceCatalog } from './nopcommerce/adapter';
import { WEBHOOK_PATH } from './webhook/routes';
import { createHtmlSanitizer } from './webhook/sanitizer';
import { createTokenRing } from './webhook-tokens/ring';
import { isTokenRevoked, registerToken } from './webhook-tokens/store';
import { generatedToken } from './webhook-tokens/tokens';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { createHttpServer } from './http/listen';
import { createImageStore } from './images/store';
import { DAY_MS } from './shared/time';

const SHUTDOWN_GRACE_MS = 10_000;
const TOKEN_REFRESH_MS = 2_000;

async function main(config: Config): Promise<void> {
  // Asynchronous: under load, log lines are coalesced into few write system calls instead of one each
  // (measured +10-30% throughput); flushed on shutdown. A crash may lose the last lines, never a delivery.
  const destination = pino.destination({ sync: false, minLength: 0 });
  const logger = pino({ level: config.logLevel, base: { service: 'kitbridge' } }, destination);
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const db = database.knex;
  const images = createImageStore(config.imageDir);
  const html = createHtmlSanitizer();
  const swept = await images.sweep((name) => isImageReferenced(db, name));
  if (swept.committed + swept.removed > 0) logger.warn(swept, 'finished or removed image files left by a crash');

  // WEBHOOK_TOKENS are fixed by configuration; otherwise the generated token is registered so it can be revoked.
  const configured = config.webhookTokens ?? [];
  let shown = configured[0];
  if (!shown) {
    const token = await generatedToken(config.dataDir);
    await registerToken(db, token, 'generated at first start');
    if (!(await isTokenRevoked(db, token))) shown = token;
  }
  const tokens = createTokenRing(db, configured, TOKEN_REFRESH_MS, (error) =>
    logger.warn({ err: { message: (error as Error).message } }, 'could not re-read webhook tokens; keeping the last list'),
  );
  await tokens.refresh();

  const catalog = config.catalog && {
    adapter: createNopCommerceCatalog(config.catalog.nopCommerce),
    shopBaseUrl: config.catalog.shopBaseUrl,
  };
  const app = createApp({
    db,
    images,
    logger,
    tokens,
    maxBodyBytes: config.maxBodyBytes,
    maxImageBytes: config.maxImageBytes,
    html,
    publicBaseUrl: config.publicBaseUrl,
    trustProxy: config.trustProxy,
    currency: config.currency,
    catalog,
    snippets: config.snippets,
    adminToken: config.adminToken,
    failedBodies: config.failedBodies,
  });
  const server = createHttpServer(app.callback(), { requestTimeoutMs: config.requestTimeoutMs });
  server.listen(config.port, config.host);
  await once(server, 'listening');

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicBaseUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { port, database: database.kind, imageDir: config.imageDir, catalog: catalog ? 'nopcommerce' : 'own', admin: Boolean(config.adminToken) },
    'kitbridge listening',
  );
  // The URL holds the secret, so it goes to the terminal once, never into the structured log.
  process.stdout.write(
    shown
      ? `\nPaste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${base}${WEBHOOK_PATH}/${shown}\n\n`
      : '\nThe generated webhook token was revoked; add one with "npx kitbridge tokens add" for a new URL.\n\n',
  );

  const dailyJob = () =>
    void housekeeping({ db, images, catalog: catalog?.adapter }, { retentionDays: config.retentionDays, failedBodies: config.failedBodies })
      .then((done) => logger.info(done, 'daily housekeeping done'))
      .catch((error: Error) => logger.error({ err: { message: error.message } }, 'daily housekeeping failed; will try again tomorrow'));
  const housekeepingTimer = setInterval(dailyJob, DAY_MS).unref();
  setTimeout(dailyJob, 60_000).unref();

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
    await Promise.all([database.close(), catalog?.adapter.close(), html.close()]);
    logger.info('stopped');
    destination.flushSync();
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
main(config).catch((error: unknown) => {
  process.stderr.write(`kitbridge could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
