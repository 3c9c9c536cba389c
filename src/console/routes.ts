import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { CleanupDeps } from '../housekeeping/cleanup';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import type { FailureLimiter } from '../http/rate-limit';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { html } from '../shared/html';
import type { ReplayDeps } from '../webhook/replay';
import type { TokenRing } from '../webhook-tokens/ring';
import { announcementPages, type AnnouncementDeps } from './announcements';
import { ICON, ICON_PATH, SCRIPT, SCRIPT_PATH, STYLE_SOURCE } from './assets';
import { batchPages } from './batch';
import { cleanupPages } from './cleanup';
import { deliveryPages } from './deliveries';
import { requireSession, type ConsoleContext, type ConsoleState } from './guard';
import { healthPage } from './health';
import { kitPages } from './kits';
import { queuePages, type QueuePageDeps } from './queue';
import { fieldList } from './layout';
import { sendPage } from './respond';
import { sheetPages } from './sheet-page';
import { signInPages, signOut } from './sign-in';
import { tokenPages } from './tokens';

/** The shop owner's console at /console: server-rendered pages behind a sign-in with the admin token. */

export interface ConsoleDeps extends ReplayDeps, CleanupDeps, AnnouncementDeps {
  adminToken: string;
  guesses: FailureLimiter;
  tokens: TokenRing;
  baseUrl: BaseUrl;
  /** MIN_FREE_DISK_BYTES: the health page warns when the image disk has less free */
  minFreeDiskBytes: number;
  currency?: string;
  adapter?: Pick<NopCommerceAdapter, 'orderedProductIds' | 'retire' | 'scrub' | 'cacheMinutes' | 'checkConnection'>;
  /** SHOP_BASE_URL with the nopCommerce adapter */
  shopBaseUrl?: string;
  /** the shop's orders, with the nopCommerce adapter; absent, the console has no order sections */
  orders?: Pick<NopCommerceAdapter, 'ordersOf' | 'order'>;
  printQueue?: QueuePageDeps['printQueue'];
}

// No inline script, no other site: the stylesheet is inline and allowed by its hash, the script is ours.
const CSP = `default-src 'none'; style-src ${STYLE_SOURCE}; script-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

export function consoleRoutes(deps: ConsoleDeps): Middleware<State> {
  const now = Date.now;
  const open = new Router<ConsoleState>();
  open.get(SCRIPT_PATH, (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = SCRIPT;
  });
  open.get(ICON_PATH, (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = ICON;
  });
  signInPages(open, { ...deps, now });

  const signedIn = new Router<ConsoleState>();
  signedIn.use(requireSession({ db: deps.db, baseUrl: deps.baseUrl, now }));
  signedIn.get('/console', (ctx) => ctx.redirect('/console/deliveries'));
  signOut(signedIn, deps);
  deliveryPages(signedIn, deps);
  queuePages(signedIn, deps);
  batchPages(signedIn, deps);
  kitPages(signedIn, deps);
  sheetPages(signedIn, deps);
  tokenPages(signedIn, deps);
  healthPage(signedIn, deps);
  announcementPages(signedIn, { ...deps, now });
  cleanupPages(signedIn, deps);

  const [openPages, signedInPages] = [open.routes(), signedIn.routes()] as Middleware[];
  return (ctx, next) => {
    if (ctx.path !== '/console' && !ctx.path.startsWith('/console/')) return next();
    return securityHeaders(ctx, () => errorPages(ctx, () => openPages!(ctx, () => signedInPages!(ctx, next))));
  };
}

const securityHeaders: Middleware<ConsoleState> = async (ctx, next) => {
  ctx.set('Content-Security-Policy', CSP);
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'same-origin');
  // Pages show rosters and, once, a secret URL: never kept by a browser or proxy cache.
  ctx.set('Cache-Control', 'no-store');
  await next();
};

/** Errors as pages a shop owner can read, answered by the app's one error path (http/middleware.ts). */
const errorPages: Middleware<ConsoleState> = async (ctx: ConsoleContext, next) => {
  ctx.state.renderProblem = (problem) => {
    const retry = problem.retryAfterSeconds ? html`<p>Try again in ${problem.retryAfterSeconds} seconds.</p>` : '';
    const body = html`<h1>${problem.status === 404 ? 'Not found' : 'That did not work'}</h1>
<div class="error"><strong>${problem.message}</strong>${fieldList(problem.extra.errors)}</div>
${retry}<p class="muted">HTTP ${problem.status} · request ${ctx.state.requestId}</p>
<p><a href="/console/deliveries">Back to the console</a></p>`;
    sendPage(ctx, { title: 'Problem', body }, problem.status);
  };
  await next();
  if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not-found', 'There is no such page in the console.');
};
