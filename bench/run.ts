import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { generateDelivery } from '../src/cli/generate';
import sample from '../docs/kitbuilder/single-item-checkout.sample.json';
import { makePng } from '../src/images/make-png';
import { MAX_TEXT } from '../src/kits/bounds';
import { HOSTILE_HTML } from '../test/factories/hostile-html';
import { createDatabase, postgresCpu, postgresCpuSince, startProcess, type EventLoopDelay } from './processes';
import { runWorstCases } from './worst-run';

/**
 * `npm run bench`: the floor and kitbridge, each in its own process on the same real PostgreSQL, driven by
 * autocannon on loopback in one run, so the ratios compare like with like on this (drifting, shared) machine.
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
/** Image deliveries are measured at several concurrencies: their latency is mostly queueing behind each other. */
const IMAGE_CONNECTIONS = [1, 4, 10];
const WARM_UP_S = 3;
/** BENCH_ONLY=<text> runs only the scenarios whose name contains it; unset: all */
const ONLY = process.env.BENCH_ONLY;
/** the length of the Html scenarios' Html (default: the limit; lower to measure builds with a lower one) */
const HTML_CHARS = Number(process.env.BENCH_HTML_CHARS ?? MAX_TEXT.html);
const root = path.join(__dirname, '..', '..');

interface Row {
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  peakRssMb: number;
  failures: number;
  /** CPU time per request: the measured process (of it, its event loop thread), all PostgreSQL processes, the load generator */
  cpuMs: { process: number; eventLoop: number; postgres: number; loader: number };
  /** /healthz latency (ms) while the scenario ran, and how late the service's event loop ran meanwhile */
  healthz?: { p50: number; p99: number; max: number; polls: number };
  eventLoopDelay?: EventLoopDelay;
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

type Target = { rss(): number; cpu(): number; eventLoopCpu(): number; eventLoopDelay(): Promise<EventLoopDelay> };

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

/**
 * GET /healthz one after another, 10 ms apart, from a thread of its own (the load generator's event loop,
 * busy assembling bodies, would otherwise delay the answers it measures); the latency of each, in ms.
 */
const HEALTHZ_POLLER = `
const { parentPort, workerData } = require('node:worker_threads');
let stopped = false;
parentPort.once('message', () => (stopped = true));
(async () => {
  const latencies = [];
  while (!stopped) {
    const start = performance.now();
    await fetch(workerData.url)
      .then((response) => response.arrayBuffer())
      .catch((error) => process.stderr.write('/healthz failed: ' + error.message + ' ' + error.cause + '\\n'));
    latencies.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  parentPort.postMessage(latencies);
})();
`;

/** /healthz latencies until `done` settles. */
async function pollHealthz(origin: string, done: Promise<unknown>): Promise<Row['healthz']> {
  const poller = new Worker(HEALTHZ_POLLER, { eval: true, workerData: { url: `${origin}/healthz` } });
  await Promise.resolve(done).catch(() => undefined);
  poller.postMessage('stop');
  const [latencies] = (await once(poller, 'message')) as [number[]];
  await poller.terminate();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1));
  return { p50: at(0.5), p99: at(0.99), max: at(1), polls: latencies.length };
}

async function drive(scenario: string, url: string, body: () => Buffer, connections: number, target: Target, watchHealthz = false): Promise<Row> {
  let peak = target.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, target.rss())), 100);
  const before = { process: target.cpu(), eventLoop: target.eventLoopCpu(), postgres: postgresCpu(), loader: process.cpuUsage() };
  if (watchHealthz) await target.eventLoopDelay();
  const loading = load(url, body, connections, DURATION_S);
  const healthz = watchHealthz ? await pollHealthz(new URL(url).origin, loading) : undefined;
  const result = await loading;
  const eventLoopDelay = watchHealthz ? await target.eventLoopDelay() : undefined;
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
      eventLoop: perRequest(target.eventLoopCpu() - before.eventLoop),
      postgres: perRequest(postgresCpuSince(before.postgres)),
      loader: perRequest((loader.user + loader.system) / 1e6),
    },
    healthz,
    eventLoopDelay,
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
  const withHtml = (html: string) => {
    const delivery = generateDelivery({ teams: 1, unitsPerTeam: 10 });
    delivery.SingleItemCheckout.Html = html;
    return freshBodies(delivery);
  };
  const htmlSize = `${Math.round(HTML_CHARS / 1024)} KiB`;
  // The issue's Html; the shape that is slowest to sanitize and still kept (bench/html.ts); and a realistic
  // one: form values and a kit render as a data: URL (220 x 220 noisy RGB, 145 KB of PNG; a flat 1000 px
  // render is ~110 KB).
  const issueHtml = withHtml(HOSTILE_HTML['unclosed <a>'](HTML_CHARS));
  const costliestHtml = withHtml(HOSTILE_HTML['lone angle brackets'](HTML_CHARS));
  const render = makePng(220, 220, { noise: true }).toString('base64');
  const imageHtml = withHtml(`<table><tr><th>Club</th><td>Ølstykke FC</td></tr></table><img src="data:image/png;base64,${render}" alt="kit">`);
  const wanted = (scenario: string) => !ONLY || scenario.includes(ONLY);
  const run = async (scenario: string, url: string, body: () => Buffer, connections: number, target: Target, watchHealthz = false) => {
    if (wanted(scenario)) rows.push(await drive(scenario, url, body, connections, target, watchHealthz));
  };
  try {
    if (wanted('floor: sample, no image') || wanted('floor: 2 MB image')) {
      const floor = await startProcess([path.join(root, 'dist/bench/floor.js')], { DATABASE_URL: database.url }, /^(\d+)$/m);
      const floorUrl = `http://127.0.0.1:${floor.match[1]}/`;
      await warmUp(floorUrl, small);
      await run('floor: sample, no image', floorUrl, small, 50, floor);
      for (const connections of IMAGE_CONNECTIONS) await run('floor: 2 MB image', floorUrl, withImage, connections, floor);
      await floor.stop();
    }

    const dataDir = path.join(os.tmpdir(), `kitbridge-bench-${randomBytes(4).toString('hex')}`);
    const service = await startProcess(
      ['-r', path.join(root, 'dist/bench/event-loop-delay.js'), path.join(root, 'dist/src/server.js')],
      { DATABASE_URL: database.url, DATA_DIR: dataDir, WEBHOOK_TOKENS: token, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      // The banner does not print a configured token to a pipe: only the origin is read from it.
      /(http:\/\/\S+?)\/webhooks\/kitbuilder\//,
    );
    const webhook = `${service.match[1]}/webhooks/kitbuilder/${token}`;
    await warmUp(webhook, small);
    await run('kitbridge: sample, no image', webhook, small, 50, service);
    await run('kitbridge: 25-unit roster', webhook, roster, 50, service);
    for (const connections of IMAGE_CONNECTIONS) await run('kitbridge: 2 MB image', webhook, withImage, connections, service);
    await fetch(webhook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(duplicate) });
    await run('kitbridge: duplicate delivery', webhook, () => duplicate, 50, service);
    // One delivery at a time, /healthz asked every 10 ms meanwhile: the event loop must stay free.
    await run(`kitbridge: Html of ${htmlSize}, unclosed <a> (refused: 400)`, webhook, issueHtml, 1, service, true);
    await run(`kitbridge: Html of ${htmlSize}, the costliest shape kept`, webhook, costliestHtml, 1, service, true);
    await run('kitbridge: Html with a 145 KB data: image', webhook, imageHtml, 10, service, true);
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
  const watched = rows.filter((r) => r.healthz);
  if (watched.length) {
    lines.push(
      '',
      '| scenario | connections | CPU ms/request: process / its event loop thread | /healthz meanwhile: p50 / p99 / max ms (polls) | event loop delay: p50 / p99 / max ms |',
      '|---|---:|---:|---:|---:|',
    );
    for (const r of watched) {
      const { p50, p99, max, polls } = r.healthz!;
      const delay = r.eventLoopDelay!;
      lines.push(
        `| ${r.scenario} | ${r.connections} | ${r.cpuMs.process} / ${r.cpuMs.eventLoop} | ${p50} / ${p99} / ${max} (${polls}) | ${delay.p50} / ${delay.p99} / ${delay.max} |`,
      );
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

// `npm run bench -- --worst`: the worst deliveries within the bounds, instead of throughput under load.
(process.argv.includes('--worst') ? runWorstCases() : main()).catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
