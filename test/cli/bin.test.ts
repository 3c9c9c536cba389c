import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

it('runs as `npx kitbridge`, building itself when the build is missing or older than the source', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, '../../bin/kitbridge.js'), 'deliveries', '--help']);
  expect(stdout).toContain('kitbridge deliveries [--failed]');
}, 120_000);
