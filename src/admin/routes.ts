import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { outboxCounts } from '../announcements/outbox';
import type { Metrics } from '../deliveries/metrics';
import { findDelivery, listDeliveries } from '../deliveries/store';
import { cleanupBatch, type CleanupDeps } from '../housekeeping/cleanup';
import { parseJson, readJsonBody } from '../http/body';
import { AppError } from '../http/errors';
import type { BaseUrl, State } from '../http/middleware';
import type { FailureLimiter } from '../http/rate-limit';
import { parseInput } from '../http/validation';
import { isKitId } from '../kits/id';
import { kitStats } from '../kits/read';
import { daysAgo } from '../shared/time';
import { replayDelivery, type ReplayDeps } from '../webhook/replay';
import { webhookUrl } from '../webhook/routes';
import type { TokenRing } from '../webhook-tokens/ring';
import { addWebhookToken, revokeWebhookToken, tokenLabel } from '../webhook-tokens/manage';
import { listTokens } from '../webhook-tokens/store';
import { matchesAnyToken, tokenDigest } from '../webhook-tokens/tokens';

export interface AdminDeps extends CleanupDeps, ReplayDeps {
  adminToken: string;
  /** wrong admin tokens per client address, shared with the console's sign-in: 429 after a few */
  guesses: FailureLimiter;
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
  after: z.string().refine(isKitId, "must be a kit id (the previous batch's next)").optional(),
  limit: z.number().int().min(1).max(1000).default(200),
});
const tokenBody = z.object({ label: tokenLabel.min(1).default('added with kitbridge tokens add') });

/** Operator routes, behind ADMIN_TOKEN (Authorization: Bearer …); without ADMIN_TOKEN they do not exist. */
export function adminRoutes(deps: AdminDeps): Router<State> {
  const router = new Router<State>();
  const adminDigest = [tokenDigest(deps.adminToken)];
  const requireAdmin: Middleware<State> = async (ctx, next) => {
    deps.guesses.refuseLockedOut(ctx.ip);
    const presented = /^Bearer (.+)$/.exec(ctx.get('Authorization'))?.[1] ?? '';
    if (!matchesAnyToken(presented, adminDigest)) {
      deps.guesses.fail(ctx.ip);
      ctx.set('WWW-Authenticate', 'Bearer realm="kitbridge admin"');
      throw new AppError('unauthorized');
    }
    await next();
  };
  router.use(['/admin', '/metrics'], requireAdmin);

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.contentType;
    const [stats, announcements] = await Promise.all([kitStats(deps.db), outboxCounts(deps.db)]);
    ctx.body = await deps.metrics.render({ ...stats, announcements });
  });

  router.get('/admin/deliveries', async (ctx) => {
    ctx.body = { deliveries: await listDeliveries(deps.db, parseInput(listQuery, ctx.query)) };
  });

  router.get('/admin/deliveries/:id', async (ctx) => {
    const delivery = await findDelivery(deps.db, ctx.params.id!);
    if (!delivery) throw new AppError('not-found', `No delivery ${ctx.params.id}.`);
    ctx.body = delivery;
  });

  router.post('/admin/deliveries/:id/replay', async (ctx) => {
    ctx.body = await replayDelivery(deps, ctx.params.id!, {
      requestId: ctx.state.requestId,
      remoteAddress: ctx.ip,
      baseUrl: deps.baseUrl(ctx),
    });
  });

  router.get('/admin/tokens', async (ctx) => {
    ctx.body = { tokens: await listTokens(deps.db) };
  });

  router.post('/admin/tokens', async (ctx) => {
    const { label } = parseInput(tokenBody, await optionalJson(ctx));
    const { token, row } = await addWebhookToken(deps.db, deps.tokens, label);
    ctx.status = 201;
    ctx.body = { ...row, token, url: webhookUrl(deps.baseUrl(ctx), token) };
  });

  router.post('/admin/tokens/:id/revoke', async (ctx) => {
    ctx.body = await revokeWebhookToken(deps.db, deps.tokens, ctx.params.id!);
  });

  router.post('/admin/cleanup', async (ctx) => {
    const request = parseInput(cleanupBody, await optionalJson(ctx));
    ctx.body = await cleanupBatch(deps, { ...request, olderThan: daysAgo(request.olderThanDays) });
  });

  return router;
}

/** A small JSON body that may be left out: none reads as {}. */
async function optionalJson(ctx: Context): Promise<unknown> {
  const hasBody = ctx.get('Transfer-Encoding') !== '' || Number(ctx.get('Content-Length')) > 0;
  return hasBody ? parseJson(await readJsonBody(ctx, 64 * 1024)) : {};
}
