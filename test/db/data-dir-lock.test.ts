import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataDirInUse, lockDataDir, type LockKind } from '../../src/db/data-dir-lock';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale, root } = require('../../bin/build-if-stale') as { buildIfStale(): void; root: string };

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-lock-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe.each<LockKind>(['abstract', 'file'])('the %s data directory lock', (kind) => {
  it('refuses a second holder, naming the directory and the holder\'s pid, until the first releases it', async () => {
    const lock = await lockDataDir(dir, kind);
    const second = lockDataDir(dir, kind);
    await expect(second).rejects.toThrow(DataDirInUse);
    await expect(second).rejects.toThrow(`${await fs.realpath(dir)} is in use by kitbridge process ${process.pid}:`);
    await lock.release();
    await (await lockDataDir(dir, kind)).release();
  });

  it('is the same lock under another name for the same directory', async () => {
    const link = `${dir}-link`;
    await fs.symlink(dir, link);
    const lock = await lockDataDir(dir, kind);
    try {
      await expect(lockDataDir(`${link}/.`, kind)).rejects.toThrow(DataDirInUse);
    } finally {
      await lock.release();
      await fs.rm(link);
    }
  });

  it('is not held by a process that was killed while holding it', async () => {
    // Another process (the built module) takes the lock, says so, and is killed with no chance to clean up.
    buildIfStale();
    const built = path.join(root, 'dist/src/db/data-dir-lock.js');
    const script = `require(${JSON.stringify(built)}).lockDataDir(process.argv[1], process.argv[2]).then(() => { console.log('held'); setInterval(() => {}, 1000); })`;
    const holder = spawn(process.execPath, ['-e', script, dir, kind], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(holder.stdout!, 'data');
    await expect(lockDataDir(dir, kind)).rejects.toThrow(`kitbridge process ${holder.pid}:`);
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    // A socket file outlives its process (the stale case); an abstract name does not.
    expect(existsSync(path.join(dir, 'kitbridge.lock'))).toBe(kind === 'file');
    await (await lockDataDir(dir, kind)).release();
  });

  it('leaves nothing in the directory once released', async () => {
    await (await lockDataDir(dir, kind)).release();
    expect(await fs.readdir(dir)).toEqual([]);
  });
});

it('puts nothing in the directory on Linux, even while held', async () => {
  const lock = await lockDataDir(dir, 'abstract');
  expect(await fs.readdir(dir)).toEqual([]);
  await lock.release();
});
