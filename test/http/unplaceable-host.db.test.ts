import { once } from 'node:events';
import net from 'node:net';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { sampleDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

// Without PUBLIC_BASE_URL, links and the console's own origin are made from the request's Host header. A request
// whose Host makes no origin cannot be placed: it is refused with 400, never a 500 or a link with a broken host.
const ADMIN_TOKEN = generateToken();
let app: TestApp;
let port: number;
beforeAll(async () => {
  app = await startTestApp({ adminToken: ADMIN_TOKEN, publicBaseUrl: undefined });
  port = Number(new URL(await app.listen()).port);
});
afterAll(() => app.close());

/** One request written by hand (supertest always sends a good Host); resolves with the status line's code. */
async function rawPost(path: string, head: string, type: string, body: string): Promise<number> {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  let answer = '';
  const status = new Promise<number>((resolve) => {
    socket.on('data', (chunk) => {
      answer += chunk;
      const code = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      if (code) resolve(Number(code));
    });
    socket.on('close', () => resolve(0));
  });
  socket.write(`POST ${path} ${head}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  try {
    return await status;
  } finally {
    socket.destroy();
  }
}

const UNPLACEABLE = {
  'HTTP/1.0 without Host': 'HTTP/1.0',
  'a Host with a space': 'HTTP/1.1\r\nHost: a b',
  'a Host of one bracket': 'HTTP/1.1\r\nHost: [',
  'a Host with a port beyond 65535': 'HTTP/1.1\r\nHost: a:99999',
  'a Host with a path': 'HTTP/1.1\r\nHost: a/b',
};

describe('a request whose Host makes no origin', () => {
  it.each(Object.entries(UNPLACEABLE))('is answered 400 at the console sign-in: %s', async (_, head) => {
    expect(await rawPost('/console/sign-in', head, 'application/x-www-form-urlencoded', `token=${ADMIN_TOKEN}`)).toBe(400);
  });

  it.each(Object.entries(UNPLACEABLE))('is answered 400 at the webhook, and nothing is stored: %s', async (_, head) => {
    const before = await app.footprint();
    expect(await rawPost(app.webhookPath(), head, 'application/json', JSON.stringify(sampleDelivery()))).toBe(400);
    expect(await app.footprint()).toEqual(before);
  });

  it('answers the webhook for a Host with user info: Koa reads the host part alone', async () => {
    const socketAnswer = await rawPost(app.webhookPath(), 'HTTP/1.1\r\nHost: evil@a', 'application/json', JSON.stringify(sampleDelivery()));
    expect(socketAnswer).toBe(200);
  });

  it('still serves a Host with a port, in any case', async () => {
    expect(await rawPost('/console/sign-in', 'HTTP/1.1\r\nHost: Kits.Example:8080', 'application/x-www-form-urlencoded', `token=${ADMIN_TOKEN}`)).toBe(303);
  });
});
