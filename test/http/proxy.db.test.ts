import { listDeliveries } from '../../src/deliveries/store';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

// Behind proxies, X-Forwarded-For is "<what the client wrote>, <client as the outer proxy saw it>, <inner proxies>".
describe.each([1, 2])('behind %i proxies', (proxyHops) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ proxyHops, maxTokenGuessesPerMinute: 3 });
  });
  afterAll(() => app.close());

  const innerProxies = ['10.0.0.2', '10.0.0.3'].slice(0, proxyHops - 1);
  /** X-Forwarded-For as the proxies pass it on, for a client at `client` that sent `invented` itself. */
  const forwardedFor = (client: string, invented: string) => [invented, client, ...innerProxies].join(', ');

  it('logs the address the outer proxy saw, not one the client wrote', async () => {
    const response = await app.deliver(aDelivery()).set('X-Forwarded-For', forwardedFor('203.0.113.7', '198.51.100.1'));
    expect(response.status).toBe(200);
    const [logged] = await listDeliveries(app.db, { limit: 1 });
    expect(logged!.remoteAddress).toBe('203.0.113.7');
  });

  it('keeps a URL guesser at 429 however many addresses it invents, and other clients unaffected', async () => {
    const guess = (client: string, invented: string) =>
      app.deliver(aDelivery(), generateToken()).set('X-Forwarded-For', forwardedFor(client, invented));
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await guess('203.0.113.9', `198.51.100.${i}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429, 429]);
    expect((await guess('203.0.113.10', '198.51.100.1')).status).toBe(404);
  });
});
