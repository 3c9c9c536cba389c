import Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/routes';
import type { PrintRoom } from './announcements/enqueue';
import { consoleRoutes } from './console/routes';
import { createMetrics } from './deliveries/metrics';
import type { BodyRetention } from './deliveries/store';
import { healthRoutes } from './health/routes';
import { baseUrlFrom, requestHandling, type State } from './http/middleware';
import { createFailureLimiter } from './http/rate-limit';
import type { ImageStore } from './images/store';
import type { QueueFrom } from './print-queue/types';
import { productRoutes } from './products/routes';
import { snippetRoutes } from './snippets/routes';
import type { SnippetValues } from './snippets/snippets';
import { openApiRoutes } from './webhook/openapi';
import { createReceiver, type WebhookDeps } from './webhook/receive';
import { webhookPathRedactor } from './webhook/redact';
import { webhookRoutes } from './webhook/routes';
import type { HtmlSanitizer } from './webhook/sanitizer';
import type { TokenRing } from './webhook-tokens/ring';

export interface AppDeps {
  db: Knex;
  images: ImageStore;
  logger: Logger;
  /** the accepted webhook tokens */
  tokens: TokenRing;
  maxBodyBytes: number;
  maxImageBytes: number;
  /** width x height of an image, at most */
  maxImagePixels: number;
  /** new images are refused (507) when storing them would leave less free disk space than this */
  minFreeDiskBytes: number;
  /** sanitizes the deliveries' Html, long ones in a worker thread; its owner closes it */
  html: HtmlSanitizer;
  /** absolute base for links; absent: the origin of each request */
  publicBaseUrl?: string;
  currency?: string;
  shop?: WebhookDeps['shop'];
  /** PRINT_QUEUE_FROM (default paid): with the shop, the console's print queue lists orders to print from then */
  printQueueFrom?: QueueFrom;
  /** the shop's values for the theme snippets */
  snippets?: SnippetValues;
  /** ADMIN_TOKEN; absent: no /admin, /metrics or /console routes */
  adminToken?: string;
  /**
   * reverse proxies in front (default 0): client addresses (rate limits, delivery log) are then the entry of
   * X-Forwarded-For this many from the right, the one the outermost proxy wrote
   */
  proxyHops?: number;
  /** unknown webhook tokens allowed per client address and minute before 429 */
  maxTokenGuessesPerMinute?: number;
  /** the print room's announcement channels; absent: none configured */
  printRoom?: Pick<PrintRoom, 'channels' | 'startedAt'>;
  /** how long and how much of failed deliveries' bodies is kept for replay (default 14 days, 1 GiB) */
  failedBodies?: BodyRetention;
}

/** Builds the Koa app from its dependencies. No listening and no environment reads here. */
export function createApp(deps: AppDeps): Koa<State> {
  const proxyHops = deps.proxyHops ?? 0;
  // Koa's ip is the leftmost of the last `maxIpsCount` entries of X-Forwarded-For.
  const app = new Koa<State>({ proxy: proxyHops > 0, maxIpsCount: proxyHops });
  const baseUrl = baseUrlFrom(deps.publicBaseUrl);
  const receiver = createReceiver(deps);
  const metrics = createMetrics();
  const failedBodies = deps.failedBodies ?? { days: 14, maxBytes: 1024 ** 3 };
  const recorder = { db: deps.db, logger: deps.logger, metrics, failedBodies };

  app.use(requestHandling(deps.logger, webhookPathRedactor(deps.tokens.digests)));
  const routers = [
    healthRoutes(deps.db),
    webhookRoutes({
      receiver,
      webhookTokens: deps.tokens.digests,
      maxBodyBytes: deps.maxBodyBytes,
      baseUrl,
      recorder,
      guesses: createFailureLimiter({ maxFailures: deps.maxTokenGuessesPerMinute }),
    }),
    productRoutes({ ...deps, baseUrl }),
    snippetRoutes(deps.snippets ?? {}, { addsToCart: Boolean(deps.shop) }),
    openApiRoutes(),
  ];
  if (deps.adminToken) {
    const operator = {
      db: deps.db,
      images: deps.images,
      adapter: deps.shop?.adapter,
      adminToken: deps.adminToken,
      // one budget of wrong admin tokens per address, whether guessed at the API or at the console's sign-in
      guesses: createFailureLimiter(),
      receiver,
      recorder,
      tokens: deps.tokens,
      baseUrl,
    };
    routers.push(adminRoutes({ ...operator, metrics }));
    app.use(
      consoleRoutes({ ...operator, minFreeDiskBytes: deps.minFreeDiskBytes, currency: deps.currency, shopBaseUrl: deps.shop?.baseUrl || undefined, orders: deps.shop?.adapter,
        printQueue: deps.shop && { from: deps.printQueueFrom ?? 'paid' }, printRoom: deps.printRoom }),
    );
  }
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());
  // Errors are answered by requestHandling; keep Koa from printing them a second time.
  app.silent = true;
  return app;
}
