import Router from '@koa/router';
import type { Knex } from 'knex';
import { AppError } from '../http/errors';
import type { State } from '../http/middleware';

/** Liveness says the process answers; readiness says it can store a delivery. */
export function healthRoutes(db: Knex): Router<State> {
  const router = new Router<State>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await db.raw('select 1');
    } catch {
      throw new AppError('database-unavailable', 'The database does not answer.');
    }
    ctx.body = { status: 'ready' };
  });
  return router;
}
