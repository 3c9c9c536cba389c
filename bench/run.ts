import { randomBytes, randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { generateDelivery } from '../src/cli/generate';
import sample from '../src/cli/single-item-checkout.sample.json';
import { makePng } from '../src/images/make-png';
import { createDatabase, postgresCpu, postgresCpuSince, startProcess } from './processes';
import { runWorstCases } from './worst-run';

/**
 * `npm run bench`: the floor and kitbridge, each in its own process on the same real PostgreSQL, driven by
 * autocannon on loopback in one run, so the ratios compare like with like on this (drifting, shared) machine.
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
/** Image deliveries are measured at several concurrencies: their latency is mostly queueing behind each other. */
const IMAGE_CONNECTIONS = [1, 4, 10];
const WARM_UP_S = 3;
const root = path.join(__dirname, '..', '..');

interface Row {
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  failures: number;
  /** CPU time per request: the measured process, all PostgreSQL processes, the load generator */
  cpuMs: { process: number; postgres: number; loader: number };
}

/**
 * A body template whose PublicWebhookId is replaced on every request, so each one is a new delivery. Bodies are
 * assembled as bytes: encoding a 2.7 MB string per request cost the load generator, which shares the two cores
 * with what it measures, more CPU than the service's JSON parse.
 */
function freshBodies(delivery: object): () => Buffer {
  const text = JSON.stringify({ ...delivery, PublicWebhookId: '@@ID@@' });
  const [head, tail] = text.split('"@@ID@@"').map((part) => Buffer.from(part)) as [Buffer, Buffer];
  return () => Buffer.concat([head, Buffer.from(`"${randomUUID()}"`), tail]);
}

type Target = { rss(): number; cpu(): number };

const load = (url: string, body: () => Buffer, connections: number, duration: number) =>
  autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });

/** Unrecorded load first, so the JIT and the connection pools are warm when measuring starts. */
const warmUp = (url: string, body: () => Buffer) => load(url, body, 10, WARM_UP_S);

async function drive(scenario: string, url: string, body: () => Buffer, connections: number, target: Target): Promise<Row> {
  let peak = target.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, target.rss())), 100);
  const before = { process: target.cpu(), postgres: postgresCpu(), loader: process.cpuUsage() };
  const result = await load(url, body, connections, DURATION_S);
  clearInterval(sampler);
  const loader = process.cpuUsage(before.loader);
  const perRequest = (seconds: number) => Number(((seconds * 1000) / Math.max(result.requests.total, 1)).toFixed(2));
  const row = {
    scenario,
    connections,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    peakRssMb: Math.round(peak),
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMs: {
      process: perRequest(target.cpu() - before.process),
      postgres: perRequest(postgresCpuSince(before.postgres)),
      loader: perRequest((loader.user + loader.system) / 1e6),
    },
  };
  process.stderr.write(`${JSON.stringify(row)}\n`);
  return row;
}

async function main() {
  const database = await createDatabase();
  const token = randomBytes(24).toString('base64url');
  const rows: Row[] = [];
  const small = freshBodies({ ...sample, SingleItemCheckout: { ...sample.SingleItemCheckout, MainImage: null } });
  const roster = freshBodies(generateDelivery({ teams: 1, unitsPerTeam: 25 }));
  const imageDelivery = generateDelivery({ teams: 1, unitsPerTeam: 10 });
  // ~2 MB of PNG: 820 x 820 noisy RGB.
  imageDelivery.SingleItemCheckout.MainImage = makePng(820, 820, { noise: true }).toString('base64');
  const withImage = freshBodies(imageDelivery);
  const duplicate = small();
  try {
    const floor = await startProcess([path.join(root, 'dist/bench/floor.js')], { DATABASE_URL: database.url }, /^(\d+)$/m);
    const floorUrl = `http://127.0.0.1:${floor.match[1]}/`;
    await warmUp(floorUrl, small);
    rows.push(await drive('floor: sample, no image', floorUrl, small, 50, floor));
    for (const connections of IMAGE_CONNECTIONS) rows.push(await drive('floor: 2 MB image', floorUrl, withImage, connections, floor));
    await floor.stop();

    const dataDir = path.join(os.tmpdir(), `kitbridge-bench-${randomBytes(4).toString('hex')}`);
    const service = await startProcess(
      [path.join(root, 'dist/src/server.js')],
      { DATABASE_URL: database.url, DATA_DIR: dataDir, WEBHOOK_TOKENS: token, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      /(http:\/\/\S+\/webhooks\/kitbuilder\/\S+)/,
    );
    const webhook = service.match[1]!;
    await warmUp(webhook, small);
    rows.push(await drive('kitbridge: sample, no image', webhook, small, 50, service));
    rows.push(await drive('kitbridge: 25-unit roster', webhook, roster, 50, service));
    for (const connections of IMAGE_CONNECTIONS) rows.push(await drive('kitbridge: 2 MB image', webhook, withImage, connections, service));
    await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(duplicate) });
    rows.push(await drive('kitbridge: duplicate delivery', webhook, () => duplicate, 50, service));
    await service.stop();
    // the kits' images: hundreds of megabytes after the image scenarios
    rmSync(dataDir, { recursive: true, force: true });
  } finally {
    await database.drop();
  }
  print(rows);
}

function print(rows: Row[]) {
  // kitbridge's throughput against the floor's on the same kind of body at the same concurrency
  const floorOf = (r: Row) =>
    rows.find((f) => f.scenario === (r.scenario.endsWith('2 MB image') ? 'floor: 2 MB image' : 'floor: sample, no image') && f.connections === r.connections);
  const ratio = (r: Row) => {
    const floor = r.scenario.startsWith('floor') ? undefined : floorOf(r);
    return floor ? (r.rps / floor.rps).toFixed(2) : '';
  };
  const lines = [
    `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${DURATION_S} s per scenario, load generator, service and PostgreSQL on one machine`,
    '',
    '| scenario | connections | req/s | p50 ms | p99 ms | peak RSS MB | CPU ms/request: process / PostgreSQL / load generator | non-2xx/errors | × floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.connections} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.peakRssMb} | ${r.cpuMs.process} / ${r.cpuMs.postgres} / ${r.cpuMs.loader} | ${r.failures} | ${ratio(r)} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

// `npm run bench -- --worst`: the worst deliveries within the bounds, instead of throughput under load.
(process.argv.includes('--worst') ? runWorstCases() : main()).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
