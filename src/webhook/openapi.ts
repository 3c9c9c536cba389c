import Router from '@koa/router';
import { z } from 'zod';
import { productLinkSchema } from './link';
import { WEBHOOK_PATH } from './routes';
import { deliverySchema } from './schema';
import { problemSchema } from '../http/errors';
import type { State } from '../http/middleware';

/** The webhook and its answers, generated from the zod schemas that validate and shape them. */
export function openApiDocument() {
  const problem = { 'application/problem+json': { schema: z.toJSONSchema(problemSchema) } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'kitbridge',
      version: '1',
      description: "Kit Builder's SingleItemCheckout webhook; the answer is the product-link JSON Kit Builder hands to the shop's callbacks as data.content.",
    },
    paths: {
      [`${WEBHOOK_PATH}/{token}`]: {
        post: {
          summary: 'Receive one SingleItemCheckout delivery',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' }, description: 'the secret webhook token' }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(deliverySchema, { io: 'input', unrepresentable: 'any' }) } },
          },
          responses: {
            200: { description: 'The kit (new, or the same one again for a repeated delivery)', content: { 'application/json': { schema: z.toJSONSchema(productLinkSchema) } } },
            400: { description: 'Not UTF-8, not JSON, or an invalid payload or image', content: problem },
            404: { description: 'Unknown token', content: problem },
            413: { description: 'Body larger than MAX_BODY_BYTES', content: problem },
            415: { description: 'Not application/json', content: problem },
            429: { description: 'Too many unknown tokens from this address', content: problem },
            503: { description: 'Database or nopCommerce unavailable; retry after Retry-After seconds', content: problem },
            507: { description: 'Too little free disk space for a new image (MIN_FREE_DISK_BYTES); nothing stored', content: problem },
          },
        },
      },
    },
  };
}

export function openApiRoutes(): Router<State> {
  const router = new Router<State>();
  const document = openApiDocument();
  router.get('/openapi.json', (ctx) => {
    ctx.body = document;
  });
  return router;
}
