import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { INLINE_HTML_CHARS } from '../../src/webhook/sanitizer';
import { aDelivery } from '../factories/delivery';
import { HOSTILE_HTML } from '../factories/hostile-html';
import { createServiceDatabase, startServiceProcess, type ServiceProcess } from '../helpers/service-process';

jest.setTimeout(120_000);

let database: Awaited<ReturnType<typeof createServiceDatabase>>;
let dataDir: string;
let service: ServiceProcess | undefined;
beforeAll(async () => {
  database = await createServiceDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-html-'));
});
afterAll(async () => {
  await service?.kill();
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const post = (html: string) =>
  fetch(service!.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(aDelivery({ Html: html })) });

/** The Html worker thread from the build (`npm start`), where it is a .js file beside the service's own. */
it('the built service sanitizes long Html in its worker thread, and stops on SIGTERM', async () => {
  service = await startServiceProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const repeats = Math.ceil(INLINE_HTML_CHARS / 10);

  const kept = await post('<p>kit</p><script>steal()</script>'.repeat(repeats));
  expect(kept.status).toBe(200);
  const { id } = (await kept.json()) as { id: string };
  expect(await database.db('kits').where({ id }).first('html')).toEqual({ html: '<p>kit</p>'.repeat(repeats) });

  const refused = await post(HOSTILE_HTML['unclosed <a>'](4 * INLINE_HTML_CHARS));
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { errors: unknown }).errors).toEqual([
    { path: 'SingleItemCheckout.Html', message: 'nests elements more than 256 deep' },
  ]);

  const stopping = service;
  service = undefined;
  await stopping.kill('SIGTERM');
  // logged after the worker thread, the database and the server are closed
  expect(stopping.output()).toMatch(/"msg":"stopped"/);
});
