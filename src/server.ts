import { once } from 'node:events';
import http from 'node:http';
import pino from 'pino';
import { createApp } from './app';
import { isImageReferenced } from './catalog/kits';
import { createNopCommerceCatalog } from './catalog/nopcommerce/adapter';
import { WEBHOOK_PATH } from './checkout/routes';
import { resolveWebhookTokens } from './checkout/tokens';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { createImageStore } from './images/store';

const SHUTDOWN_GRACE_MS = 10_000;

async function main(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { service: 'kitbridge' } });
  const database = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const images = createImageStore(config.imageDir);
  const swept = await images.sweep((name) => isImageReferenced(database.knex, name));
  if (swept.committed + swept.removed > 0) logger.warn(swept, 'finished or removed image files left by a crash');

  const tokens = await resolveWebhookTokens(config.webhookTokens, config.dataDir);
  const catalog = config.catalog && {
    adapter: createNopCommerceCatalog(config.catalog.nopCommerce),
    shopBaseUrl: config.catalog.shopBaseUrl,
  };
  const app = createApp({
    db: database.knex,
    images,
    logger,
    webhookTokens: () => tokens,
    maxBodyBytes: config.maxBodyBytes,
    maxImageBytes: config.maxImageBytes,
    publicBaseUrl: config.publicBaseUrl,
    currency: config.currency,
    catalog,
    snippets: config.snippets,
  });
  const server = http.createServer(app.callback());
  server.listen(config.port, config.host);
  await once(server, 'listening');

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicBaseUrl ?? `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info(
    { port, database: database.kind, imageDir: config.imageDir, catalog: catalog ? 'nopcommerce' : 'own' },
    'kitbridge listening',
  );
  // The URL holds the secret, so it goes to the terminal once, never into the structured log.
  process.stdout.write(
    `\nPaste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${base}${WEBHOOK_PATH}/${tokens[0]}\n\n`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    clearTimeout(force);
    await Promise.all([database.close(), catalog?.adapter.close()]);
    logger.info('stopped');
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
