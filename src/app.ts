import Koa from 'koa';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { createCheckoutService, type CheckoutDeps } from './checkout/service';
import { checkoutRoutes } from './checkout/routes';
import { healthRoutes } from './health/routes';
import { baseUrlFrom, requestHandling, type State } from './http/middleware';
import type { ImageStore } from './images/store';
import { productRoutes } from './products/routes';
import { snippetRoutes } from './snippets/routes';
import type { SnippetValues } from './snippets/snippets';

export interface AppDeps {
  db: Knex;
  images: ImageStore;
  logger: Logger;
  webhookTokens: () => readonly string[];
  maxBodyBytes: number;
  maxImageBytes: number;
  /** absolute base for links; absent: the origin of each request */
  publicBaseUrl?: string;
  currency?: string;
  catalog?: CheckoutDeps['catalog'];
  /** the shop's values for the theme snippets */
  snippets?: SnippetValues;
}

/** Builds the Koa app from its dependencies. No listening and no environment reads here. */
export function createApp(deps: AppDeps): Koa<State> {
  const app = new Koa<State>();
  const baseUrl = baseUrlFrom(deps.publicBaseUrl);
  const checkout = createCheckoutService(deps);

  app.use(requestHandling(deps.logger));
  for (const router of [
    healthRoutes(deps.db),
    checkoutRoutes({ checkout, webhookTokens: deps.webhookTokens, maxBodyBytes: deps.maxBodyBytes, baseUrl }),
    productRoutes({ ...deps, baseUrl }),
    snippetRoutes(deps.snippets ?? {}),
  ]) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  // Errors are answered by requestHandling; keep Koa from printing them a second time.
  app.silent = true;
  return app;
}
