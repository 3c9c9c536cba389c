import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { knex, type Knex } from 'knex';
import { readAddressFile } from '../src/http/address-file';
import { ADMIN_URL, cpuSeconds, createDatabase, startProcess } from './processes';
import { worstDelivery, type WorstOptions } from './worst';

/**
 * `npm run bench -- --worst`: the most expensive deliveries within the bounds, one at a time, end to end through
 * the service as `npm start` runs it, on PGlite and on PostgreSQL, without and with the nopCommerce adapter. Each
 * scenario gets a fresh service process, so its peak RSS (the kernel's high-water mark) is its own. The first
 * delivery meets a cold process; the next BENCH_WORST_REPEATS (default 3) a warm one. Besides the time, each
 * delivery's CPU time is taken from /proc: the service's, and that of the PostgreSQL backends serving its
 * databases (not the server's other sessions: the machine is shared), which a busy machine inflates far less.
 */
const REPEATS = Number(process.env.BENCH_WORST_REPEATS ?? 3);
const root = path.join(__dirname, '..', '..');
// The shop as the adapter's tests build it (nopCommerce 4.90 on PostgreSQL): its tables, attributes, weights, orders.
const NOP_SCHEMA = ['schema.sql', 'schema-attributes.sql', 'orders.sql'].map((file) => path.join(root, 'test/fixtures/nopcommerce', file));

const SCENARIOS: Array<{ name: string; options: WorstOptions }> = [
  { name: 'most teams, units and sizes, longest texts', options: {} },
  { name: 'the same, every unit on a size no line has (a warning each)', options: { unlinked: true } },
  { name: 'the same as the first, with the longest Html', options: { longHtml: true } },
];

interface Row {
  database: string;
  catalog: string;
  scenario: string;
  bodyMb: number;
  coldMs: number;
  warmMs: number[];
  /** CPU ms of the warm deliveries: the service process, PostgreSQL's backends for it */
  warmCpuMs: Array<{ service: number; postgres: number }>;
  pageMs: number;
  answerKb: number;
  /** the service's peak RSS once started (migrations done), and after the deliveries */
  startRssMb: number;
  peakRssMb: number;
}

async function deliver(url: string, options: WorstOptions) {
  const body = Buffer.from(JSON.stringify(worstDelivery(options)));
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(body) }).catch(
    (error: Error & { cause?: Error }) => {
      throw new Error(`${url}: ${error.message} (${error.cause?.message ?? 'no cause'})`);
    },
  );
  const answer = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${answer.slice(0, 500)}`);
  return { ms, bodyMb: body.length / 1e6, answerKb: answer.length / 1e3, kitUrl: JSON.parse(answer).url as string };
}

/** CPU seconds of the PostgreSQL backends connected to these databases now, by pid. */
async function backendCpu(admin: Knex, databases: string[]): Promise<Map<string, number>> {
  const { rows } = await admin.raw('select pid from pg_stat_activity where datname = any(?)', [databases]);
  return new Map(rows.map((row: { pid: number }) => [String(row.pid), cpuSeconds(row.pid)]));
}

/** A delivery with the CPU it cost: the service's, and PostgreSQL's for these databases (backends opened during it count in full). */
async function deliverMeasured(url: string, options: WorstOptions, service: { cpu(): number }, postgres: { admin: Knex; databases: string[] }) {
  const before = { service: service.cpu(), postgres: await backendCpu(postgres.admin, postgres.databases) };
  const delivered = await deliver(url, options);
  const after = await backendCpu(postgres.admin, postgres.databases);
  const postgresSeconds = [...after].reduce((sum, [pid, seconds]) => sum + seconds - (before.postgres.get(pid) ?? 0), 0);
  return { ...delivered, cpu: { service: Math.round((service.cpu() - before.service) * 1000), postgres: Math.round(postgresSeconds * 1000) } };
}

async function measure(
  env: Record<string, string>,
  labels: Pick<Row, 'database' | 'catalog'>,
  scenario: (typeof SCENARIOS)[number],
  postgres: { admin: Knex; databases: string[] },
): Promise<Row> {
  const dataDir = path.join(os.tmpdir(), `kitbridge-worst-${randomBytes(4).toString('hex')}`);
  const token = randomBytes(24).toString('base64url');
  const service = await startProcess(
    [path.join(root, 'dist/src/server.js')],
    { ...env, DATA_DIR: dataDir, WEBHOOK_TOKENS: token, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    // The banner shows the origin; the token is the bench's own (WEBHOOK_TOKENS is not printed).
    /(http:\/\/\S+?)\/webhooks\/kitbuilder\//,
  );
  try {
    // With PUBLIC_BASE_URL the banner shows that address; where the service listens is in its address file.
    const webhook = `${readAddressFile(dataDir) ?? service.match[1]}/webhooks/kitbuilder/${token}`;
    const startRssMb = Math.round(service.peakRss());
    const cold = await deliver(webhook, scenario.options);
    const warm = [];
    for (let i = 0; i < REPEATS; i++) warm.push(await deliverMeasured(webhook, scenario.options, service, postgres));
    const pageStarted = performance.now();
    const page = await fetch(cold.kitUrl.replace(/^https?:\/\/[^/]+/, new URL(webhook).origin));
    await page.text();
    const row = {
      ...labels,
      scenario: scenario.name,
      bodyMb: Number(cold.bodyMb.toFixed(1)),
      coldMs: Math.round(cold.ms),
      warmMs: warm.map((w) => Math.round(w.ms)),
      warmCpuMs: warm.map((w) => w.cpu),
      pageMs: Math.round(performance.now() - pageStarted),
      answerKb: Math.round(cold.answerKb),
      startRssMb,
      peakRssMb: Math.round(service.peakRss()),
    };
    process.stderr.write(`${JSON.stringify(row)}\n`);
    return row;
  } finally {
    await service.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runWorstCases() {
  const own = await createDatabase();
  const shop = await createDatabase();
  const admin = knex({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  const postgres = { admin, databases: [own.url, shop.url].map((url) => new URL(url).pathname.slice(1)) };
  const rows: Row[] = [];
  try {
    const shopDb = knex({ client: 'pg', connection: shop.url, pool: { min: 0, max: 1 } });
    for (const file of NOP_SCHEMA) await shopDb.raw(readFileSync(file, 'utf8'));
    await shopDb.destroy();
    const nopCommerce = { CATALOG: 'nopcommerce', NOPCOMMERCE_DATABASE_URL: shop.url, NOPCOMMERCE_TAX_CATEGORY_ID: '1', PUBLIC_BASE_URL: 'http://kitbridge.bench', KITBUILDER_PRICES_INCLUDE_TAX: 'false' };
    for (const [database, env] of [['PGlite', {}], ['PostgreSQL', { DATABASE_URL: own.url }]] as const) {
      for (const [catalog, catalogEnv] of [['own', {}], ['nopCommerce', nopCommerce]] as const) {
        for (const scenario of SCENARIOS) rows.push(await measure({ ...env, ...catalogEnv }, { database, catalog }, scenario, postgres));
      }
    }
  } finally {
    await admin.destroy();
    await own.drop();
    await shop.drop();
  }
  print(rows);
}

function print(rows: Row[]) {
  const lines = [
    `${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}; one delivery at a time, time to the whole answer; ${REPEATS} warm deliveries after the cold one`,
    '',
    '| database | catalog | scenario | body MB | cold ms | warm ms | warm CPU ms: service + PostgreSQL | kit page ms | answer kB | peak RSS MB: started / after |',
    '|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.database} | ${r.catalog} | ${r.scenario} | ${r.bodyMb} | ${r.coldMs} | ${r.warmMs.join(' / ')} | ${r.warmCpuMs.map((c) => `${c.service} + ${c.postgres}`).join(' / ')} | ${r.pageMs} | ${r.answerKb} | ${r.startRssMb} / ${r.peakRssMb} |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
