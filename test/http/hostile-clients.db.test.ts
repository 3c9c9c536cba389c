import { once } from 'node:events';
import net from 'node:net';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery, sampleDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

const REQUEST_TIMEOUT_MS = 1_000;
let app: TestApp;
let port: number;
beforeAll(async () => {
  app = await startTestApp({ maxTokenGuessesPerMinute: 10 });
  port = Number(new URL(await app.listen({ requestTimeoutMs: REQUEST_TIMEOUT_MS })).port);
});
afterAll(() => app.close());

const EMPTY = { kits: 0, lines: 0, teams: 0, units: 0, files: [] };

/**
 * A raw client: sends the head and then whatever `send` writes, and resolves with what the server answered once
 * the connection ended. A client that never finishes is only ever ended by the server's timeout; should the
 * server not enforce it, the test fails on jest's timeout (30 s, against the 1 s the server is given).
 */
async function rawRequest(contentLength: number, send: (socket: net.Socket) => Promise<void>) {
  const socket = net.connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.write(
    `POST ${app.webhookPath()} HTTP/1.1\r\nHost: kitbridge\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`,
  );
  await send(socket);
  await ended;
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const body = JSON.stringify(sampleDelivery());

describe('slow and broken clients are cut off by the server, and nothing is written', () => {
  afterEach(async () => {
    expect(await app.footprint()).toEqual(EMPTY);
  });

  it('a body that trickles in is answered 408 and closed while the client is still sending', async () => {
    let sent = 0;
    const result = await rawRequest(body.length, async (socket) => {
      // A byte every 100 ms: the whole body (1.3 kB) would take minutes; only the server ends this early.
      while (!socket.destroyed && sent < body.length) {
        socket.write(body[sent]!);
        sent += 1;
        await pause(100);
      }
    });
    expect(result.status).toBe(408);
    expect(sent).toBeLessThan(body.length);
  });

  it('a body that stops half way is answered 408 and closed', async () => {
    const result = await rawRequest(body.length, async (socket) => {
      socket.write(body.slice(0, body.length / 2));
    });
    expect(result.status).toBe(408);
  });

  it('a Content-Length larger than the body, with the client done sending, is answered 400', async () => {
    const result = await rawRequest(body.length + 100, async (socket) => {
      socket.end(body);
    });
    expect(result.status).toBe(400);
  });

  it('a Content-Length smaller than the body', async () => {
    const result = await rawRequest(20, async (socket) => {
      socket.write(body);
    });
    expect(result.status).toBe(400);
  });

  it('a connection closed mid-upload, after which the service still serves', async () => {
    await rawRequest(body.length, async (socket) => {
      socket.write(body.slice(0, 300));
      await pause(50);
      socket.destroy();
    });
    await pause(100);
    expect(await app.footprint()).toEqual(EMPTY);
    expect((await app.http().get('/healthz')).status).toBe(200);
  });
});

describe('guessing the secret URL', () => {
  it('is answered 429 with Retry-After after 10 unknown tokens from one address, while the real URL keeps working', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await app.deliver(aDelivery(), generateToken())).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(404));
    const limited = await app.deliver(aDelivery(), generateToken());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.code).toBe('rate-limited');
    const real = await app.deliver(aDelivery());
    expect(real.status).toBe(200);
    await app.db('kits').delete(); // keeps the footprint check of the other tests meaningful
    await app.footprint().then(({ files }) => expect(files).toEqual([]));
  });
});
