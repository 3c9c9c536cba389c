import pino from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../src/app';
import { tokenDigest } from '../../src/webhook-tokens/tokens';
import { openDatabase } from '../../src/db/database';
import { createImageStore } from '../../src/images/store';
import { createHtmlSanitizer } from '../../src/webhook/sanitizer';

/**
 * The real app on a PostgreSQL URL where nothing listens: for routes that need no database, and for what a
 * client sees while the database is down. Returns a supertest agent factory and `close`.
 */
export function bareApp(overrides: Partial<AppDeps> & { webhookToken?: string } = {}) {
  const database = openDatabase({ url: 'postgres://postgres@127.0.0.1:9/kitbridge' });
  const { webhookToken, ...deps } = overrides;
  const html = createHtmlSanitizer();
  const app = createApp({
    db: database.knex,
    images: createImageStore('/nonexistent/kitbridge-images'),
    logger: pino({ level: 'silent' }),
    tokens: { digests: () => (webhookToken ? [tokenDigest(webhookToken)] : []), refresh: async () => undefined, stop: () => undefined },
    maxBodyBytes: 1024 * 1024,
    maxImageBytes: 1024 * 1024,
    maxImagePixels: 40_000_000,
    minFreeDiskBytes: 0,
    html,
    ...deps,
  });
  const callback = app.callback();
  return { http: () => request(callback), close: async () => (await html.close(), await database.close()) };
}
