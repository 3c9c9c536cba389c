import { promises as fs } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { run } from '../src/cli/main';
import { openDatabase } from '../src/db/database';
import { generateToken } from '../src/webhook-tokens/tokens';
import { sampleDelivery } from './factories/delivery';
import { spawnService, startServiceProcess } from './helpers/service-process';
import { createNopDatabase } from './helpers/nopcommerce';
import { waitFor } from './helpers/wait';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale } = require('../bin/build-if-stale') as { buildIfStale(root?: string): boolean };

// The built service as `npm start` runs it: what a shop owner meets when starting it.
jest.setTimeout(240_000);

let folder: string;
beforeEach(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-startup-'));
});
afterEach(() => fs.rm(folder, { recursive: true, force: true }));

/** The lines a service that could not start printed, and its exit code. */
async function failedStart(env: Record<string, string>) {
  const service = spawnService(env, { cwd: folder });
  const served = await service.banner.then(() => true, () => false);
  if (served) service.child.kill('SIGKILL'); // it should not have started: fail below, leave nothing running
  const code = await service.exited;
  return { code: served ? 'started' : code, lines: service.output().trim().split('\n') };
}

describe('a stale or missing build is rebuilt before it runs, a fresh one is run as it is', () => {
  it('builds a project without a build, not again while nothing changed, and again after a source changed', async () => {
    await fs.mkdir(path.join(folder, 'src'));
    await fs.writeFile(path.join(folder, 'src', 'server.ts'), 'export const started = 1;\n');
    await fs.writeFile(path.join(folder, 'tsconfig.build.json'), JSON.stringify({ compilerOptions: { outDir: 'dist', rootDir: '.', module: 'commonjs' }, include: ['src'] }));
    expect(buildIfStale(folder)).toBe(true);
    expect(await fs.readFile(path.join(folder, 'dist', 'src', 'server.js'), 'utf8')).toContain('started = 1');
    expect(buildIfStale(folder)).toBe(false);
    await fs.writeFile(path.join(folder, 'src', 'server.ts'), 'export const started = 2;\n');
    const later = new Date(Date.now() + 5_000);
    await fs.utimes(path.join(folder, 'src', 'server.ts'), later, later);
    expect(buildIfStale(folder)).toBe(true);
    expect(await fs.readFile(path.join(folder, 'dist', 'src', 'server.js'), 'utf8')).toContain('started = 2');
  });
});

describe('settings from ./.env', () => {
  it('are read by the service, under the environment, which wins', async () => {
    const token = generateToken();
    await fs.writeFile(path.join(folder, '.env'), `# copied from .env.example\nWEBHOOK_TOKENS=${token}\nDATA_DIR=./kitbridge-data\nPORT=1\n`);
    const service = spawnService({ PORT: '0' }, { cwd: folder });
    try {
      const [origin, printed] = await service.banner;
      expect(printed).toBe('<a');
      expect(service.output()).toContain('<a token from WEBHOOK_TOKENS>');
      const delivered = await fetch(`${origin}/webhooks/kitbuilder/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sampleDelivery()) });
      expect(delivered.status).toBe(200);
      await fs.access(path.join(folder, 'kitbridge-data', 'pglite'));
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('refuse to start, naming every problem at once, when they are wrong', async () => {
    await fs.writeFile(path.join(folder, '.env'), 'CURRENCY=kr\nMAX_BODY_BYTES=12MB\nNOPCOMERCE_DATABASE_URL=postgres://shop\n');
    const { code, lines } = await failedStart({});
    expect(code).toBe(1);
    expect(lines[0]).toBe('Invalid configuration (3 problems):');
    expect(lines.slice(1).map((line) => line.trim().split(' ')[0]).sort()).toEqual(['CURRENCY', 'MAX_BODY_BYTES', 'NOPCOMERCE_DATABASE_URL']);
  });
});

describe('a start that cannot succeed says why in one line', () => {
  it('names DATABASE_URL and what was tried, never the password, when the database cannot be reached', async () => {
    const { code, lines } = await failedStart({ DATABASE_URL: 'postgres://kitbridge:s3cret@127.0.0.1:9/kitbridge', DATA_DIR: folder });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^kitbridge could not start: cannot open PostgreSQL at postgres:\/\/kitbridge:\*\*\*@127\.0\.0\.1:9\/kitbridge \(DATABASE_URL\): .*ECONNREFUSED/);
    expect(lines[0]).not.toContain('s3cret');
  });

  it('starts without the shop database, but says at once that NOPCOMMERCE_DATABASE_URL cannot be reached', async () => {
    const env = {
      DATA_DIR: folder,
      CATALOG: 'nopcommerce',
      NOPCOMMERCE_DATABASE_URL: 'postgres://kitbridge:s3cret@127.0.0.1:9/nopcommerce',
      NOPCOMMERCE_TAX_CATEGORY_ID: '1',
      PUBLIC_BASE_URL: 'http://kits.example.com',
      KITBUILDER_PRICES_INCLUDE_TAX: 'false',
    };
    const service = spawnService(env, { cwd: folder });
    try {
      await service.banner;
      await waitFor(async () => service.output().includes('NOPCOMMERCE_DATABASE_URL'), 60_000);
      const line = service.output().split('\n').find((l) => l.includes('NOPCOMMERCE_DATABASE_URL'))!;
      expect(line).toMatch(/^kitbridge: cannot reach the nopCommerce database at postgres:\/\/kitbridge:\*\*\*@127\.0\.0\.1:9\/nopcommerce \(NOPCOMMERCE_DATABASE_URL\): .*ECONNREFUSED.*answered 503/);
      expect(service.output()).not.toContain('s3cret');
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('refuses to start, saying why, when the shop takes tax rates from addresses and its prices are on another basis', async () => {
    const nop = await createNopDatabase();
    try {
      await nop.db('Setting').where({ Name: 'taxsettings.activetaxprovidersystemname' }).update({ Value: 'Tax.Avalara' });
      const { code, lines } = await failedStart({
        DATA_DIR: folder,
        CATALOG: 'nopcommerce',
        NOPCOMMERCE_DATABASE_URL: nop.url,
        NOPCOMMERCE_TAX_CATEGORY_ID: '1',
        PUBLIC_BASE_URL: 'https://kits.example.com',
        TRUST_PROXY: '1',
        KITBUILDER_PRICES_INCLUDE_TAX: 'true',
      });
      expect(code).toBe(1);
      expect(lines).toEqual([
        expect.stringMatching(
          /^kitbridge could not start: the shop's tax settings do not allow it: KITBUILDER_PRICES_INCLUDE_TAX=true but the shop's prices exclude tax, and its tax provider \(Tax.Avalara\) takes the rate from the shopper's address/,
        ),
      ]);
    } finally {
      await nop.drop();
    }
  });

  it('refuses to start on a database a newer kitbridge migrated (a downgrade), naming the migrations it does not know', async () => {
    const first = await startServiceProcess({}, { cwd: folder });
    await first.kill('SIGTERM');
    const database = openDatabase({ dataDir: path.join(folder, 'data') });
    await database.knex('knex_migrations').insert({ name: '29990101000000_from_a_newer_version', batch: 99, migration_time: new Date() });
    await database.close();
    const { code, lines } = await failedStart({});
    expect(code).toBe(1);
    expect(lines.at(-1)).toBe(
      `kitbridge could not start: cannot open the embedded database in ${path.join(folder, 'data')} (DATA_DIR): it was migrated by a newer kitbridge ` +
        '(29990101000000_from_a_newer_version is unknown to this version); start the newer version again, or restore the backup taken before the upgrade',
    );
  });

  it('names DATA_DIR when it cannot be written', async () => {
    const file = path.join(folder, 'a-file');
    await fs.writeFile(file, '');
    const { code, lines } = await failedStart({ DATA_DIR: path.join(file, 'data') });
    expect(code).toBe(1);
    expect(lines).toEqual([`kitbridge could not start: DATA_DIR ${path.join(file, 'data')} is not a directory kitbridge can write to (ENOTDIR)`]);
  });

  it('says the port is taken before it opens the database', async () => {
    const taken = net.createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as net.AddressInfo).port;
    try {
      // An unreachable database too: had it been opened first, that would be the error.
      const { code, lines } = await failedStart({ PORT: String(port), DATABASE_URL: 'postgres://kitbridge@127.0.0.1:9/kitbridge', DATA_DIR: folder });
      expect(code).toBe(1);
      expect(lines).toEqual([`kitbridge could not start: PORT ${port} on HOST 127.0.0.1 is already in use (another kitbridge, or another program): stop it or set PORT`]);
    } finally {
      taken.close();
    }
  });
});

describe('npx kitbridge send-sample', () => {
  it('finds the service started from the same folder on any port, sends the sample file as it is, and prints the image link', async () => {
    const dataDir = path.join(folder, 'data');
    const service = await startServiceProcess({ DATA_DIR: dataDir }, { cwd: folder });
    try {
      let stdout = '';
      const code = await run(['send-sample'], { env: { DATA_DIR: dataDir }, out: (text) => (stdout += text), err: (text) => (stdout += text) });
      expect(code).toBe(0);
      const kitUrl = /Product link: (\S+)/.exec(stdout)![1]!;
      expect(stdout).toMatch(/Image: http:\/\/\S+\/images\/[0-9a-f]{64}\.png/);
      // The documentation's curl of the same file is the same delivery: it gets the same kit, not a second one.
      const sample = await fs.readFile(path.join(__dirname, '../docs/kitbuilder/single-item-checkout.sample.json'));
      const curl = await fetch(service.webhookUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: new Blob([sample]) });
      expect(curl.status).toBe(200);
      expect(`${service.origin}/products/${(await curl.json()).id}`).toBe(kitUrl);
    } finally {
      await service.kill('SIGTERM');
    }
  });
});
