import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app';
import { generateToken, tokenDigest } from '../../src/checkout/tokens';
import { openDatabase } from '../../src/db/database';
import { createImageStore } from '../../src/images/store';
import { aDelivery } from '../factories/delivery';

// A PostgreSQL URL where nothing listens: every query fails to connect, as when the server is down.
const database = openDatabase({ url: 'postgres://postgres@127.0.0.1:9/kitbridge' });
const token = generateToken();
const app = createApp({
  db: database.knex,
  images: createImageStore('/nonexistent/kitbridge-images'),
  logger: pino({ level: 'silent' }),
  tokens: { digests: () => [tokenDigest(token)], refresh: async () => undefined, stop: () => undefined },
  maxBodyBytes: 1024 * 1024,
  maxImageBytes: 1024 * 1024,
});
afterAll(() => database.close());

it('answers 503 with Retry-After when the database is unavailable', async () => {
  const response = await request(app.callback())
    .post(`/webhooks/kitbuilder/${token}`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(aDelivery()));
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body.code).toBe('database-unavailable');
});

it('reports not ready while the database is unavailable', async () => {
  const response = await request(app.callback()).get('/readyz');
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
});
