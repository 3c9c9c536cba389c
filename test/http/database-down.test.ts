import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { bareApp } from '../helpers/bare-app';

// Every query fails to connect, as when the database server is down.
const token = generateToken();
const app = bareApp({ webhookToken: token });
afterAll(() => app.close());

it('answers 503 with Retry-After when the database is unavailable', async () => {
  const response = await app
    .http()
    .post(`/webhooks/kitbuilder/${token}`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(aDelivery()));
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body.code).toBe('database-unavailable');
});

it('reports not ready while the database is unavailable', async () => {
  const response = await app.http().get('/readyz');
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
});
