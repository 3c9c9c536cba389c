import fc from 'fast-check';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Every route, with hostile path segments, query strings and (for the admin API) JSON fields: whatever a client
 * sends, the answer is never a 5xx. A path parameter or a text that reaches the database unchecked (a NUL, a
 * byte sequence PostgreSQL refuses) would be a 500 here.
 */
const RUNS = 200;
const ADMIN_TOKEN = generateToken();

let app: TestApp;
let kitId: string;
beforeAll(async () => {
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
  kitId = (await app.deliver(aDelivery())).body.id;
});
afterAll(() => app.close());

/** Path segments as they travel: percent-encoded where a raw byte could not be sent at all. */
const HOSTILE_SEGMENTS = [
  '%00', 'a%00b', '%FF', '%C0%AF', '%ED%A0%80', '%F4%90%80%80', '%E2%82', '%', '%%', '%zz', '%2e%2e', '..', '.', '%2F', '%5C',
  '%01%1F%7F', '%20', '%0D%0ALocation:%20x', '%3Cscript%3E', "'%20or%201=1--", '-1', '0', '99999999999999999999999', '1e3', '1.5',
  'x'.repeat(10_000), '%00'.repeat(1_000), encodeURIComponent('山田 Ølstykke 🏆'), encodeURIComponent('\uFEFF'),
];
const segment = fc.oneof(
  fc.constantFrom(...HOSTILE_SEGMENTS),
  fc.string({ unit: 'binary', maxLength: 40 }).map((text) => encodeURIComponent(text)),
  fc.uint8Array({ maxLength: 20 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')),
);
const query = fc.oneof(
  fc.constant(''),
  fc.tuple(fc.constantFrom('since', 'limit', 'failed', 'after', 'id', '%00', '__proto__', 'a[b]'), segment).map(([key, value]) => `?${key}=${value}`),
  fc.constant('?failed=true&failed=false&limit=1&limit=2'),
);

/** Every route, with `:p` where a hostile segment goes; `kit` stands for a real kit id (a prefix of it, and more). */
const ROUTES = [
  'GET /products/:p', 'GET /products/:kit:p', 'GET /products/:p/x', 'GET /images/:p', 'GET /images/:p.png', 'GET /theme-snippets',
  'GET /theme-snippets/:p', 'GET /openapi.json', 'GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /admin/deliveries',
  'GET /admin/deliveries/:p', 'POST /admin/deliveries/:p/replay', 'GET /admin/tokens', 'POST /admin/tokens/:p/revoke',
  'GET /:p', 'GET /:p/:p', 'POST /webhooks/kitbuilder/:p', 'GET /webhooks/kitbuilder/:p',
];

/** The request for a route with `p` in place of `:p`; as the operator when `admin`. */
function send(route: string, p: string, q: string, admin: boolean) {
  const [method, template] = route.split(' ') as ['GET' | 'POST', string];
  const path = template.replaceAll(':kit', kitId).replaceAll(':p', p) + q;
  const request = method === 'GET' ? app.http().get(path) : app.http().post(path);
  return admin ? request.set('Authorization', `Bearer ${ADMIN_TOKEN}`) : request;
}

it('answers every route with each known hostile path segment without a 5xx', async () => {
  const failures: string[] = [];
  for (const route of ROUTES) {
    for (const p of HOSTILE_SEGMENTS) {
      const { status } = await send(route, p, '', true);
      if (status >= 500) failures.push(`${route} with ${p.slice(0, 40)}: ${status}`);
    }
  }
  expect(failures).toEqual([]);
});

it(`answers every route with random path segments and queries without a 5xx (${RUNS} requests)`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...ROUTES), segment, query, fc.boolean(), async (route, p, q, admin) => {
      expect((await send(route, p, q, admin)).status).toBeLessThan(500);
    }),
    { numRuns: RUNS },
  );
});

it('answers the admin API without a 5xx whatever text its JSON bodies carry', async () => {
  const text = fc.oneof(fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x'.repeat(100), `${kitId}\u0000`), fc.string({ unit: 'binary', maxLength: 30 }));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('/admin/tokens', '/admin/cleanup'), text, async (path, value) => {
      const body = path === '/admin/tokens' ? { label: value } : { olderThanDays: 1, dryRun: true, after: value };
      const response = await app.http().post(path).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(body);
      expect(response.status).toBeLessThan(500);
    }),
    { numRuns: RUNS / 2 },
  );
});
