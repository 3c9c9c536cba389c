import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';

// The shipped unit, checked by systemd's own parser. It is not run under systemd here: this machine's PID 1 is
// not systemd (a container), so `systemctl start` has no manager to talk to.
const DEPLOY = path.join(__dirname, '../../deploy');
const unitText = readFileSync(path.join(DEPLOY, 'systemd/kitbridge.service'), 'utf8');
const settings = parseEnv(readFileSync(path.join(DEPLOY, 'kitbridge.env'), 'utf8'));
const directive = (name: string) => new RegExp(`^${name}=(.*)$`, 'm').exec(unitText)?.[1];
const analyzer = spawnSync('sh', ['-c', 'command -v systemd-analyze']).status === 0;

if (!analyzer) process.stderr.write('SKIPPED: systemd-analyze verify of deploy/systemd/kitbridge.service needs systemd (apt-get install -y systemd)\n');
(analyzer ? it : it.skip)('passes systemd-analyze verify without a warning', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kitbridge-unit-'));
  try {
    copyFileSync(path.join(DEPLOY, 'systemd/kitbridge.service'), path.join(dir, 'kitbridge.service'));
    const result = spawnSync('systemd-analyze', ['verify', path.join(dir, 'kitbridge.service')], { encoding: 'utf8' });
    // verify also complains about other units of the machine's own; only lines about this unit count
    expect(result.stderr.split('\n').filter((line) => line.includes('kitbridge.service'))).toEqual([]);
    expect(result.status).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("agrees with deploy/kitbridge.env: its environment file, and write access to DATA_DIR only", () => {
  expect(directive('EnvironmentFile')).toBe('/etc/kitbridge/kitbridge.env');
  expect(directive('ReadWritePaths')).toBe(settings.DATA_DIR);
  expect(directive('ProtectSystem')).toBe('strict');
  expect(directive('NoNewPrivileges')).toBe('yes');
  expect(directive('User')).toBe('kitbridge');
  expect(directive('Restart')).toBe('on-failure');
});

it('waits longer for a stop than kitbridge gives in-flight requests (10 s) before it would kill it', () => {
  const grace = Number(/const SHUTDOWN_GRACE_MS = ([\d_]+);/.exec(readFileSync(path.join(__dirname, '../../src/server.ts'), 'utf8'))![1]!.replace('_', ''));
  expect(Number(directive('TimeoutStopSec')) * 1000).toBeGreaterThanOrEqual(grace + 10_000);
  expect(directive('KillSignal')).toBe('SIGTERM');
});

it('starts what npm start starts, once built', () => {
  expect(directive('ExecStart')).toBe('/usr/bin/node dist/src/server.js');
  expect(readFileSync(path.join(__dirname, '../../bin/start.js'), 'utf8')).toContain("'dist', 'src', 'server.js'");
});
