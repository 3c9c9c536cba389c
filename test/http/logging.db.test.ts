import { startTestApp, type TestApp } from '../helpers/app';
import { captureLogs } from '../helpers/logs';
import { aDelivery, sampleDelivery } from '../factories/delivery';

const { logger, lines } = captureLogs();

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ logger });
});
afterAll(() => app.close());
beforeEach(() => lines.splice(0));

it('logs one line per request with a request id, and never the token, the body or the image', async () => {
  const delivery = sampleDelivery();
  await app.deliver(delivery).set('X-Request-Id', 'trace-123');
  await app.deliver('{broken').set('X-Request-Id', 'trace-456');
  expect(lines).toHaveLength(2);
  const [ok, bad] = lines.map((line) => JSON.parse(line));
  expect(ok).toMatchObject({ requestId: 'trace-123', status: 200, path: '/webhooks/kitbuilder/[redacted]' });
  expect(bad).toMatchObject({ requestId: 'trace-456', status: 400 });
  const all = lines.join('\n');
  expect(all).not.toContain(app.tokens[0]);
  expect(all).not.toContain(delivery.SingleItemCheckout.MainImage.slice(0, 40));
  expect(all).not.toContain('Category Name');
  expect(all).not.toContain('{broken');
});

it('echoes the request id to the client, and makes one when none is given', async () => {
  const response = await app.deliver(aDelivery());
  expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  expect(JSON.parse(lines[0]!).requestId).toBe(response.headers['x-request-id']);
});
