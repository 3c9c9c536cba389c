import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createApp, type AppDeps } from '../../src/app';
import { createTokenRing } from '../../src/webhook-tokens/ring';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { createHttpServer } from '../../src/http/listen';
import { createImageStore } from '../../src/images/store';
import { createHtmlSanitizer } from '../../src/webhook/sanitizer';
import { createTestDatabase } from './database';

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** The real app on a real database and a temp image directory, driven through supertest. */
export async function startTestApp(overrides: Partial<AppDeps> = {}, { databaseUrl }: { databaseUrl?: string } = {}) {
  const database = await createTestDatabase(databaseUrl);
  const imageDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-images-'));
  const tokens = [generateToken()];
  const ring = createTokenRing(database.knex, tokens, 1_000, () => undefined);
  const images = createImageStore(imageDir);
  const html = createHtmlSanitizer();
  const build = (more: Partial<AppDeps> = {}) =>
    createApp({
      db: database.knex,
      images,
      logger: pino({ level: 'silent' }),
      tokens: ring,
      maxBodyBytes: 12 * 1024 * 1024,
      maxImageBytes: 8 * 1024 * 1024,
      html,
      maxImagePixels: 40_000_000,
      // the machine's free space is not the test's: tests that need a floor set one
      minFreeDiskBytes: 0,
      // supertest listens on a new port for every request; a fixed base keeps links comparable
      publicBaseUrl: 'http://kitbridge.test',
      ...overrides,
      ...more,
    }).callback();
  const server = build();
  let listening: http.Server | undefined;
  const webhookPath = (token = tokens[0]!) => `/webhooks/kitbuilder/${token}`;
  /** POSTs a delivery the way Kit Builder does: a JSON body to the secret URL. */
  const deliverTo = (to: typeof server) => (body: unknown, token?: string) =>
    request(to)
      .post(webhookPath(token))
      .set('Content-Type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  return {
    db: database.knex,
    images,
    imageDir,
    tokens,
    http: () => request(server),
    webhookPath,
    deliver: deliverTo(server),
    /** The same database, images and tokens under other settings, as after a restart with them. */
    httpWith: (more: Partial<AppDeps>) => request(build(more)),
    /** Delivers to the same database, images and tokens under other settings, as after a restart with them. */
    deliverWith: (more: Partial<AppDeps>) => deliverTo(build(more)),
    /** Row counts and image files: what "nothing was written" is checked against. */
    async footprint() {
      const count = async (table: string) => Number((await database.knex(table).count({ n: '*' }))[0]!.n);
      return {
        kits: await count('kits'),
        lines: await count('kit_lines'),
        teams: await count('kit_teams'),
        units: await count('kit_units'),
        files: (await fs.readdir(imageDir)).sort(),
      };
    },
    /** Listens on a free port, for clients that need a real server (the CLI); closed by `close`. */
    async listen({ requestTimeoutMs = 60_000 } = {}): Promise<string> {
      listening = createHttpServer(server, { requestTimeoutMs }).listen(0, '127.0.0.1');
      await once(listening, 'listening');
      return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    },
    async close() {
      if (listening) {
        listening.closeAllConnections();
        listening.close();
      }
      ring.stop();
      await html.close();
      await database.drop();
      await fs.rm(imageDir, { recursive: true, force: true });
    },
  };
}
