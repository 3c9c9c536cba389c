import Router from '@koa/router';
import type { Knex } from 'knex';
import { databaseAnswers } from '../db/database';
import { AppError } from '../http/errors';
import type { State } from '../http/middleware';

/** Liveness says the process answers; readiness says it can store a delivery. */
export function healthRoutes(db: Knex): Router<State> {
  const router = new Router<State>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (!(await databaseAnswers(db))) throw new AppError('database-unavailable', 'The database does not answer.');
    ctx.body = { status: 'ready' };
  });
  return router;
}
