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

describe('a webhook token is never logged, however the path is spelled', () => {
  const delivered = (path: string) => app.http().post(path).set('Content-Type', 'application/json').send(JSON.stringify(aDelivery()));
  const token = () => app.tokens[0]!;
  const typo = () => `${token().slice(0, -1)}${token().endsWith('A') ? 'B' : 'A'}`;

  it.each([
    ['in capitals, served', () => `/WEBHOOKS/KITBUILDER/${token()}`, 200],
    ['after a doubled leading slash', () => `//webhooks/kitbuilder/${token()}`, 404],
    ['after a doubled slash before the token', () => `/webhooks/kitbuilder//${token()}`, 404],
    ['percent-encoded', () => `/webhooks/kitbuilder/${encodeURIComponent(token()).replace(/[A-Z]/, (c) => `%${c.charCodeAt(0).toString(16)}`)}`, 200],
    ['in a path that is not the webhook\'s', () => `/products/${token()}/x`, 404],
    ['with a typo in the token, in capitals', () => `/Webhooks/KitBuilder/${typo()}`, 404],
    ['with a typo in the token, after an encoded slash', () => `/webhooks%2Fkitbuilder%2F${typo()}`, 404],
  ])('%s', async (_, path, status) => {
    expect((await delivered(path())).status).toBe(status);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('[redacted]');
    expect(lines[0]).not.toContain(token());
    expect(lines[0]).not.toContain(typo());
    expect(lines[0]).not.toContain(typo().slice(0, 20));
  });
});
