import Router from '@koa/router';
import bodyParser from 'koa-bodyparser';
import type { Middleware } from 'koa';
import { recorded, type RecorderDeps } from '../deliveries/record';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import type { FailureLimiter } from '../http/rate-limit';
import type { CheckoutService } from './service';
import { matchesAnyToken } from './tokens';

export interface CheckoutRouteDeps {
  checkout: CheckoutService;
  /** digests of the accepted tokens, read on every request, so a changed list applies without a restart */
  webhookTokens: () => readonly Buffer[];
  maxBodyBytes: number;
  baseUrl: BaseUrl;
  recorder: RecorderDeps;
  /** unknown tokens per client address: guessing the URL is answered 429 after a few tries */
  guesses: FailureLimiter;
}

export const WEBHOOK_PATH = '/webhooks/kitbuilder';

export function checkoutRoutes(deps: CheckoutRouteDeps): Router<State> {
  const router = new Router<State>();

  // Unknown tokens look exactly like unknown paths: 404, before the body is read. A valid token is always
  // served, so a guesser sharing Kit Builder's address cannot slow real deliveries down.
  const requireToken: Middleware<State> = async (ctx, next) => {
    if (!matchesAnyToken(String(ctx.params.token ?? ''), deps.webhookTokens())) {
      deps.guesses.fail(ctx.ip);
      throw new AppError('not-found');
    }
    await next();
  };

  // Everything after a valid token is a delivery: logged with its outcome, whatever happens next.
  const recordDelivery: Middleware<State> = (ctx, next) =>
    recorded(
      deps.recorder,
      {
        requestId: ctx.state.requestId,
        remoteAddress: ctx.ip,
        body: () => (typeof ctx.request.rawBody === 'string' ? ctx.request.rawBody : undefined),
        declaredBytes: Number(ctx.get('Content-Length')) || 0,
      },
      async (sender) => {
        ctx.state.sender = sender;
        await next();
        return ctx.state.receipt!;
      },
    );

  // koa-bodyparser turns bodies it does not parse into {}; refuse them here instead.
  const requireJson: Middleware<State> = async (ctx, next) => {
    if (!ctx.is('application/json')) throw new AppError('unsupported-media-type');
    await next();
  };

  const parseJson = bodyParser({
    enableTypes: ['json'],
    jsonLimit: `${deps.maxBodyBytes}b`,
    strict: true,
    onerror: (error) => {
      throw error;
    },
  });

  router.post(`${WEBHOOK_PATH}/:token`, requireToken, recordDelivery, requireJson, parseJson, async (ctx) => {
    const rawBody = ctx.request.rawBody;
    if (typeof rawBody !== 'string' || rawBody === '') throw new AppError('invalid-json', 'The body is empty.');
    const receipt = await deps.checkout.receive(rawBody, ctx.request.body, deps.baseUrl(ctx), ctx.state.sender!);
    ctx.state.receipt = receipt;
    ctx.status = 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = receipt.link;
  });

  return router;
}
