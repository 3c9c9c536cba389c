import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { generateDelivery } from '../../src/cli/generate';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { startServiceProcess, type ServiceProcess } from '../helpers/service-process';
import { makeTestCertificates } from '../helpers/tls';
import { waitFor } from '../helpers/wait';

// The shipped recipes in deploy/, run by the real programs from Debian's packages, in front of the built service
// started with deploy/kitbridge.env: only ports, certificate paths and the test's temp paths are filled in.
jest.setTimeout(180_000);

const DEPLOY = path.join(__dirname, '../../deploy');
const MiB = 1024 * 1024;

interface Proxy {
  name: string;
  program: string;
  /** starts the proxy from its shipped file, listening with TLS on `port` and passing to `upstream` */
  start(dir: string, port: number, upstream: number, tls: { cert: string; key: string }): ChildProcess;
}

const nginx: Proxy = {
  name: 'nginx',
  program: 'nginx',
  start(dir, port, upstream, tls) {
    const site = readFileSync(path.join(DEPLOY, 'nginx/kitbridge.conf'), 'utf8')
      .replace(/server \{\s*listen 80;[\s\S]*?\n\}\n/, '') // the port-80 redirect needs port 80
      .replace(/listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;/, `listen 127.0.0.1:${port} ssl http2;`)
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${tls.cert};`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${tls.key};`)
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${upstream}`);
    // nginx's workers (user nobody when started as root) buffer request bodies there
    const temp = path.join(dir, 'nginx-temp');
    mkdirSync(temp, { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(temp, 0o777);
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off;\npid ${dir}/nginx.pid;\nerror_log ${dir}/nginx-error.log;\nevents {}\nhttp {\naccess_log off;\n` +
        `client_body_temp_path ${temp}/body;\nproxy_temp_path ${temp}/proxy;\nfastcgi_temp_path ${temp}/fastcgi;\n` +
        `uwsgi_temp_path ${temp}/uwsgi;\nscgi_temp_path ${temp}/scgi;\n${site}\n}\n`,
    );
    return spawn('nginx', ['-c', conf, '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  },
};

const caddy: Proxy = {
  name: 'Caddy',
  program: 'caddy',
  start(dir, port, upstream, tls) {
    const site = readFileSync(path.join(DEPLOY, 'caddy/Caddyfile'), 'utf8')
      .replace(/^kits\.example\.com \{/m, `https://127.0.0.1:${port} {\n\ttls ${tls.cert} ${tls.key}`)
      .replaceAll('127.0.0.1:3000', `127.0.0.1:${upstream}`);
    const file = path.join(dir, 'Caddyfile');
    writeFileSync(file, `{\n\tadmin off\n\tauto_https disable_redirects\n\tstorage file_system ${dir}/caddy\n}\n${site}`);
    const env = { PATH: process.env.PATH, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir };
    return spawn('caddy', ['run', '--config', file, '--adapter', 'caddyfile'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  },
};

const installed = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

describe.each([nginx, caddy])('behind $name, as deploy/ ships it', (proxy) => {
  if (!installed(proxy.program)) {
    // Said where it is seen: the run's output. CI (.ci/run) installs both.
    process.stderr.write(`SKIPPED: the ${proxy.name} recipe tests need ${proxy.program} (apt-get install -y ${proxy.program})\n`);
    it.skip(`${proxy.name} is not installed (apt-get install -y ${proxy.program})`, () => undefined);
    return;
  }

  const adminToken = generateToken();
  let dir: string;
  let service: ServiceProcess;
  let running: ChildProcess;
  let output = '';
  let origin: string;
  let local: string;
  let ca: Buffer;

  /** A request through the proxy over TLS, from 127.0.0.2 (the proxy sees that address, not 127.0.0.1). */
  const send = (method: string, pathname: string, headers: Record<string, string> = {}, body?: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const request = https.request(`${origin}${pathname}`, { method, headers, ca, localAddress: '127.0.0.2' }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, text: Buffer.concat(chunks).toString() }));
      });
      request.on('error', reject);
      request.end(body);
    });
  const deliver = (body: Buffer) =>
    send('POST', new URL(service.webhookUrl).pathname, { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.7' }, body);

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), `kitbridge-${proxy.program}-`));
    const port = await freePort();
    origin = `https://127.0.0.1:${port}`;
    const tls = makeTestCertificates(dir);
    ca = tls.ca;
    const settings = parseEnv(readFileSync(path.join(DEPLOY, 'kitbridge.env'), 'utf8')) as Record<string, string>;
    service = await startServiceProcess(
      { ...settings, PORT: '0', DATA_DIR: path.join(dir, 'data'), PUBLIC_BASE_URL: origin, ADMIN_TOKEN: adminToken, MIN_FREE_DISK_BYTES: '0' },
      { cwd: dir },
    );
    local = JSON.parse(readFileSync(path.join(dir, 'data/kitbridge.address.json'), 'utf8')).url;
    running = proxy.start(dir, port, Number(new URL(local).port), tls);
    running.stdout!.on('data', (chunk) => (output += chunk));
    running.stderr!.on('data', (chunk) => (output += chunk));
    await waitFor(async () => (await send('GET', '/readyz').catch(() => undefined))?.status === 200, 30_000).catch(() => {
      throw new Error(`${proxy.name} did not pass requests on:\n${output}`);
    });
  });

  afterAll(async () => {
    if (running && running.exitCode === null) {
      running.kill('SIGTERM');
      await once(running, 'exit');
    }
    await service?.kill('SIGTERM');
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('starts kitbridge with deploy/kitbridge.env without a warning about HTTPS', () => {
    expect(service.output()).not.toMatch(/^kitbridge: /m);
  });

  it('answers a delivery with an 8 MiB image 200, with https links, and logs the client address, not the proxy or a forged one', async () => {
    const delivery = generateDelivery({ teams: 1, unitsPerTeam: 3, imageSide: 1670 });
    expect(Buffer.from(delivery.SingleItemCheckout.MainImage!, 'base64').length).toBeGreaterThan(7.9 * MiB);
    const answer = await deliver(Buffer.from(JSON.stringify(delivery)));
    expect(answer.status).toBe(200);
    const link = JSON.parse(answer.text);
    expect(link.url).toBe(`${origin}/products/${link.id}`);
    expect(link.imageUrl).toMatch(new RegExp(`^${origin}/images/`));
    expect((await send('GET', new URL(link.imageUrl).pathname)).status).toBe(200);
    const log = await fetch(`${local}/admin/deliveries?limit=1`, { headers: { Authorization: `Bearer ${adminToken}` } });
    const [last] = (await log.json()).deliveries;
    expect(last).toMatchObject({ status: 200, remoteAddress: '127.0.0.2' });
  });

  it("answers a body over MAX_BODY_BYTES with kitbridge's own 413 problem, not the proxy's page", async () => {
    const answer = await deliver(Buffer.alloc(12 * MiB + 1024, ' '));
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'payload-too-large', requestId: answer.headers['x-request-id'] });
  });

  it('sets the console cookie Secure', async () => {
    const answer = await send('POST', '/console/sign-in', { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin }, Buffer.from(`token=${adminToken}`));
    expect(answer.status).toBe(303);
    expect(String(answer.headers['set-cookie'])).toMatch(/^kitbridge_console=[\w-]{43}; .*; Secure$/);
  });

  it('keeps /metrics and /admin off the internet', async () => {
    const auth = { Authorization: `Bearer ${adminToken}` };
    expect([(await send('GET', '/metrics', auth)).status, (await send('GET', '/admin/deliveries', auth)).status]).toEqual([404, 404]);
    expect((await fetch(`${local}/metrics`, { headers: auth })).status).toBe(200);
  });
});
