import { startTestApp, type TestApp } from '../helpers/app';
import { aDelivery } from '../factories/delivery';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>';

it('shows hostile kit, team and player names as text, never as markup', async () => {
  const response = await app.deliver(
    aDelivery({
      Name: `Kit ${HOSTILE}`,
      sizes: [{ Name: `M"><b>`, Quantity: 1 }],
      teams: [{ Name: `Team ${HOSTILE}`, Units: [{ Name: `Player ${HOSTILE}`, Number: '"7"', Size: `M"><b>` }] }],
    }),
  );
  const page = await app.http().get(`/products/${response.body.id}`);
  expect(page.status).toBe(200);
  expect(page.text).not.toContain('<script>alert');
  expect(page.text).not.toContain('<img src=x');
  expect(page.text).not.toContain('M"><b>');
  expect(page.text).toContain('Player &lt;script&gt;alert(1)&lt;/script&gt;');
  expect(page.headers['content-security-policy']).toContain("default-src 'none'");
});

it('answers 404 for a kit id that does not exist', async () => {
  const response = await app.http().get('/products/does-not-exist');
  expect(response.status).toBe(404);
  expect(response.headers['content-type']).toContain('application/problem+json');
});

it.each(['0'.repeat(64) + '.png', '..%2F..%2Fetc%2Fpasswd', 'webhook-token'])('answers 404 for image name %s', async (name) => {
  expect((await app.http().get(`/images/${name}`)).status).toBe(404);
});

it('reports liveness and readiness', async () => {
  expect((await app.http().get('/healthz')).body).toEqual({ status: 'ok' });
  expect((await app.http().get('/readyz')).body).toEqual({ status: 'ready' });
});

describe('the kit page, a team roster often of minors', () => {
  it('is kept by no cache, framed by no site, and loads images only from kitbridge itself', async () => {
    const response = await app.deliver(aDelivery({}));
    const page = await app.http().get(`/products/${response.body.id}`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const csp = Object.fromEntries(page.headers['content-security-policy']!.split(/;\s*/).map((d) => [d.split(' ')[0], d]));
    expect(csp['frame-ancestors']).toBe("frame-ancestors 'none'");
    expect(csp['img-src']).toBe("img-src 'self' data:");
  });
});
