import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { cleanupBatch, type CleanupDeps } from '../housekeeping/cleanup';
import { WEBHOOK_PATH } from '../webhook/routes';
import type { CheckoutService } from '../webhook/receive';
import { addToken, listTokens, revokeToken } from '../webhook-tokens/store';
import type { TokenRing } from '../webhook-tokens/ring';
import { matchesAnyToken, tokenDigest } from '../webhook-tokens/tokens';
import { recorded, type RecorderDeps } from '../deliveries/record';
import { clearBody, deliveryBody, findDelivery, listDeliveries } from '../deliveries/store';
import { parseJson, readJsonBody } from '../http/body';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import { createFailureLimiter } from '../http/rate-limit';
import { fieldProblems } from '../http/validation';
import type { Metrics } from '../deliveries/metrics';
import { daysAgo } from '../shared/time';

export interface AdminDeps extends CleanupDeps {
  adminToken: string;
  checkout: CheckoutService;
  recorder: RecorderDeps;
  tokens: TokenRing;
  baseUrl: BaseUrl;
  metrics: Metrics;
}

const listQuery = z.object({
  failed: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  since: z.iso.datetime({ offset: true }).optional().transform((v) => (v ? new Date(v) : undefined)),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const cleanupBody = z.object({
  olderThanDays: z.number().int().min(1).max(36500),
  dryRun: z.boolean().default(false),
  after: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
const tokenBody = z.object({ label: z.string().trim().min(1).max(200).default('added with kitbridge tokens add') });

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('bad-request', 'Invalid parameters.', { errors: fieldProblems(parsed.error) });
  return parsed.data;
}

/** Operator routes, behind ADMIN_TOKEN (Authorization: Bearer …); without ADMIN_TOKEN they do not exist. */
export function adminRoutes(deps: AdminDeps): Router<State> {
  const router = new Router<State>();
  const adminDigest = [tokenDigest(deps.adminToken)];
  const guesses = createFailureLimiter({ maxFailures: 30, windowMs: 60_000 });
  const requireAdmin: Middleware<State> = async (ctx, next) => {
    const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
    if (!matchesAnyToken(presented, adminDigest)) {
      guesses.fail(ctx.ip);
      ctx.set('WWW-Authenticate', 'Bearer realm="kitbridge admin"');
      throw new AppError('unauthorized');
    }
    await next();
  };
  router.use(['/admin', '/metrics'], requireAdmin);

  router.get('/metrics', async (ctx) => {
    const [images] = await deps.db
      .from(deps.db('kits').whereNotNull('image_name').distinct('image_name', 'image_bytes').as('i'))
      .sum({ bytes: 'image_bytes' });
    const [kits] = await deps.db('kits').count({ n: '*' });
    ctx.type = 'text/plain; version=0.0.4; charset=utf-8';
    ctx.body = deps.metrics.render({ imageBytes: Number(images?.bytes ?? 0), kits: Number(kits?.n ?? 0) });
  });

  router.get('/admin/deliveries', async (ctx) => {
    ctx.body = { deliveries: await listDeliveries(deps.db, parse(listQuery, ctx.query)) };
  });

  router.get('/admin/deliveries/:id', async (ctx) => {
    const delivery = await findDelivery(deps.db, ctx.params.id!);
    if (!delivery) throw new AppError('not-found', `No delivery ${ctx.params.id}.`);
    ctx.body = delivery;
  });

  router.post('/admin/deliveries/:id/replay', async (ctx) => {
    const id = ctx.params.id!;
    const delivery = await findDelivery(deps.db, id);
    if (!delivery) throw new AppError('not-found', `No delivery ${id}.`);
    const body = delivery.replayable ? await deliveryBody(deps.db, id) : null;
    if (body === null) {
      throw new AppError(
        'not-replayable',
        delivery.outcome === 'failed'
          ? `Delivery ${id}'s body is no longer kept (failed deliveries are kept ${deps.recorder.failedBodies.days} days, or until their space is needed).`
          : `Delivery ${id} was ${delivery.outcome}; only failed deliveries are replayed.`,
      );
    }
    const bytes = Buffer.from(body);
    const replay = await recorded(
      deps.recorder,
      { requestId: ctx.state.requestId, remoteAddress: ctx.ip, replayOf: id, body: () => bytes, declaredBytes: 0 },
      (sender) => deps.checkout.receive(bytes, deps.baseUrl(ctx), sender),
    );
    await clearBody(deps.db, id);
    ctx.body = { replayOf: id, created: replay.created, link: replay.link };
  });

  router.get('/admin/tokens', async (ctx) => {
    ctx.body = { tokens: await listTokens(deps.db) };
  });

  router.post('/admin/tokens', async (ctx) => {
    const { label } = parse(tokenBody, await optionalJson(ctx));
    const { token, row } = await addToken(deps.db, label);
    await deps.tokens.refresh();
    ctx.status = 201;
    ctx.body = { ...row, token, url: `${deps.baseUrl(ctx)}${WEBHOOK_PATH}/${token}` };
  });

  router.post('/admin/tokens/:id/revoke', async (ctx) => {
    const row = /^\d{1,9}$/.test(ctx.params.id!) ? await revokeToken(deps.db, Number(ctx.params.id)) : undefined;
    if (!row) throw new AppError('not-found', `No token ${ctx.params.id}.`);
    await deps.tokens.refresh();
    ctx.body = row;
  });

  router.post('/admin/cleanup', async (ctx) => {
    const request = parse(cleanupBody, await optionalJson(ctx));
    ctx.body = await cleanupBatch(deps, { ...request, olderThan: daysAgo(request.olderThanDays) });
  });

  return router;
}

/** A small JSON body that may be left out: none reads as {}. */
async function optionalJson(ctx: Context): Promise<unknown> {
  const hasBody = ctx.get('Transfer-Encoding') !== '' || Number(ctx.get('Content-Length')) > 0;
  return hasBody ? parseJson(await readJsonBody(ctx, 64 * 1024)) : {};
}
