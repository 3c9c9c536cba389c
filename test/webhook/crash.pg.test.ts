import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateDelivery } from '../../src/cli/generate';
import { makePng } from '../../src/images/make-png';
import { createServiceDatabase, startServiceProcess, type ServiceProcess } from '../helpers/service-process';

jest.setTimeout(180_000);

let database: Awaited<ReturnType<typeof createServiceDatabase>>;
let dataDir: string;
beforeAll(async () => {
  database = await createServiceDatabase();
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-crash-'));
});
afterAll(async () => {
  await database.drop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

const start = () => startServiceProcess({ DATABASE_URL: database.url, DATA_DIR: dataDir });
const imageDir = () => path.join(dataDir, 'images');

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(
    (response) => response.status,
    () => 0, // the connection died with the process
  );

/** Every stored kit is whole (all its units, its image on disk) and no temp file is left. */
async function expectCompleteOrAbsent(bodies: string[]) {
  const files = await fs.readdir(imageDir()).catch(() => [] as string[]);
  expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
  for (const body of bodies) {
    const delivery = JSON.parse(body);
    const kit = await database.db('kits').where({ public_webhook_id: delivery.PublicWebhookId }).first('id', 'image_name');
    if (!kit) continue;
    const units = await database.db('kit_units as u').join('kit_teams as t', 't.id', 'u.team_id').where('t.kit_id', kit.id).count({ n: '*' });
    const expected = delivery.SingleItemCheckout.TeamDetails.Teams.reduce((n: number, t: { Units: unknown[] }) => n + t.Units.length, 0);
    expect(Number(units[0]!.n)).toBe(expected);
    expect(files).toContain(kit.image_name);
  }
}

it('killed at random points with deliveries in flight, restarts with every delivery complete or absent, and retries complete them', async () => {
  // Each kit with its own image (distinct noise), so every delivery writes a file of its own.
  const payloads = Array.from({ length: 60 }, (_, i) => {
    const delivery = generateDelivery({ teams: 2, unitsPerTeam: 8 });
    delivery.SingleItemCheckout.MainImage = makePng(200, 200, { noise: true, seed: i + 1 }).toString('base64');
    return JSON.stringify(delivery);
  });

  let service: ServiceProcess = await start();
  for (const killAfterMs of [40, 120, 300]) {
    const inFlight = payloads.map((body) => post(service.webhookUrl, body));
    await new Promise((resolve) => setTimeout(resolve, killAfterMs));
    await service.kill('SIGKILL');
    await Promise.all(inFlight);
    service = await start(); // sweeps temp files and finishes or removes half-committed images
    await expectCompleteOrAbsent(payloads);
  }
  const retried = await Promise.all(payloads.map((body) => post(service.webhookUrl, body)));
  expect(retried).toEqual(Array(payloads.length).fill(200));
  await expectCompleteOrAbsent(payloads);
  expect(await database.db('kits').count({ n: '*' })).toEqual([{ n: String(payloads.length) }]);
  await service.kill('SIGTERM');
});
