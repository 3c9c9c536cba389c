import Router from '@koa/router';
import type { Middleware } from 'koa';
import { recorded, type RecorderDeps } from '../deliveries/record';
import { readJsonBody } from '../http/body';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import type { FailureLimiter } from '../http/rate-limit';
import type { CheckoutService } from './receive';
import { matchesAnyToken } from '../webhook-tokens/tokens';

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
        body: () => ctx.state.body,
        declaredBytes: Number(ctx.get('Content-Length')) || 0,
      },
      async (sender) => {
        ctx.state.sender = sender;
        await next();
        return ctx.state.receipt!;
      },
    );

  router.post(`${WEBHOOK_PATH}/:token`, requireToken, recordDelivery, async (ctx) => {
    const body = await readJsonBody(ctx, deps.maxBodyBytes);
    ctx.state.body = body;
    if (body.length === 0) throw new AppError('invalid-json', 'The body is empty.');
    ctx.state.receipt = await deps.checkout.receive(body, deps.baseUrl(ctx), ctx.state.sender!);
    ctx.status = 200;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = ctx.state.receipt.link;
  });

  return router;
}
