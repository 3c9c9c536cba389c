import { generateDelivery } from '../../src/cli/generate';
import { startTestApp, type TestApp } from '../helpers/app';
import { TEST_DATABASE_URL } from '../helpers/database';
import { startTcpProxy } from '../helpers/tcp-proxy';

/** Each kit's roster, as stored: team name → unit names, to check nothing was lost or mixed between kits. */
async function rosterOf(app: TestApp, kitId: string) {
  const rows = await app
    .db('kit_units as u')
    .join('kit_teams as t', 't.id', 'u.team_id')
    .join('kit_lines as l', 'l.id', 'u.line_id')
    .where('t.kit_id', kitId)
    .where('l.kit_id', kitId)
    .select('t.name as team', 'u.name');
  return rows.map((row) => `${row.team}/${row.name}`).sort();
}

const expectedRoster = (delivery: ReturnType<typeof generateDelivery>) =>
  delivery.SingleItemCheckout.TeamDetails.Teams.flatMap((t) => t.Units.map((u) => `${t.Name}/${u.Name}`)).sort();

/** A kit whose team names carry `tag`, so a unit in the wrong kit would show. */
function taggedDelivery(tag: string, teams = 2, units = 5) {
  const delivery = generateDelivery({ teams, unitsPerTeam: units });
  for (const team of delivery.SingleItemCheckout.TeamDetails.Teams) team.Name = `${tag} ${team.Name}`;
  return delivery;
}

async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (queue.length) await work(queue.shift()!);
  }));
}

describe('concurrency', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('50 simultaneous deliveries of the same body create one kit and all get the same answer', async () => {
    const body = JSON.stringify(taggedDelivery('same'));
    const answers = await Promise.all(Array.from({ length: 50 }, () => app.deliver(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect((await app.footprint()).kits).toBe(1);
  });

  it('200 different deliveries at concurrency 20 create exactly 200 kits, none losing or mixing lines or units', async () => {
    const before = (await app.footprint()).kits;
    const deliveries = Array.from({ length: 200 }, (_, i) => taggedDelivery(`kit-${i}`));
    const kitIds = new Map<number, string>();
    await inPool([...deliveries.keys()], 20, async (i) => {
      const response = await app.deliver(deliveries[i]!);
      expect(response.status).toBe(200);
      kitIds.set(i, response.body.id);
    });
    expect((await app.footprint()).kits).toBe(before + 200);
    expect(new Set(kitIds.values()).size).toBe(200);
    for (const [i, kitId] of kitIds) expect(await rosterOf(app, kitId)).toEqual(expectedRoster(deliveries[i]!));
  });
});

describe('a database outage', () => {
  const target = new URL(TEST_DATABASE_URL);
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let app: TestApp;
  beforeAll(async () => {
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(TEST_DATABASE_URL);
    viaProxy.port = String(proxy.port);
    app = await startTestApp({}, { databaseUrl: viaProxy.toString() });
  });
  afterAll(async () => {
    await proxy.restore();
    await app.close();
    await proxy.close();
  });

  it('answers 503 with Retry-After and not ready while down, writes nothing half, and recovers without a restart', async () => {
    const deliveries = Array.from({ length: 12 }, (_, i) => taggedDelivery(`outage-${i}`, 3, 9));
    // Half arrive just before the cut, so some are in flight when it happens.
    const inFlight = deliveries.slice(0, 6).map((d) => app.deliver(d));
    await new Promise((resolve) => setTimeout(resolve, 15));
    await proxy.cut();
    const duringOutage = await Promise.all(deliveries.slice(6).map((d) => app.deliver(d)));
    const first = await Promise.all(inFlight);

    expect(duringOutage.map((r) => r.status)).toEqual(Array(6).fill(503));
    for (const response of [...first, ...duringOutage].filter((r) => r.status !== 200)) {
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect((await app.http().get('/readyz')).status).toBe(503);

    await proxy.restore();
    expect((await app.http().get('/readyz')).status).toBe(200);
    // Every delivery is either complete or absent; Kit Builder's retries now complete the absent ones.
    const retried = await Promise.all(deliveries.map((d) => app.deliver(d)));
    expect(retried.map((r) => r.status)).toEqual(Array(12).fill(200));
    first.forEach((response, i) => {
      if (response.status === 200) expect(retried[i]!.body.id).toBe(response.body.id);
    });
    for (const [i, response] of retried.entries()) expect(await rosterOf(app, response.body.id)).toEqual(expectedRoster(deliveries[i]!));
    expect((await app.footprint()).kits).toBe(12);
  });
});
