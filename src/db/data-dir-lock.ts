import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * PGlite is a database for one process: a second process on the same files keeps its own view of them, and the
 * two silently lose each other's writes. So the data directory is held by a listening Unix socket, which the
 * kernel closes when the process ends, however it ends: a crash or `kill -9` leaves no lock behind. The holder
 * answers its pid to every connection, so a second process can say who holds the directory.
 *
 * - `abstract` (Linux): a socket in the abstract namespace, named after the directory's real path. Nothing on
 *   disk, so nothing stale and no race. Limit: abstract names belong to a network namespace, so two containers
 *   with networks of their own sharing one volume do not see each other (give each its own data directory).
 * - `file` (elsewhere, e.g. macOS): a socket file in the directory. A file left by a crash refuses connections
 *   and is replaced. Limits: two processes that find the same stale file at the same instant may both take it,
 *   and the socket's path must fit the system's limit (about 100 bytes).
 */
export type LockKind = 'abstract' | 'file';

export class DataDirInUse extends Error {}

export interface DataDirLock {
  release(): Promise<void>;
}

/** Holds `dataDir` for this process until `release` or its end; throws DataDirInUse while another holds it. */
export async function lockDataDir(
  dataDir: string,
  kind: LockKind = process.platform === 'linux' ? 'abstract' : 'file',
): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  const directory = realpathSync(dataDir);
  const address =
    kind === 'abstract'
      ? `\0kitbridge:${createHash('sha256').update(directory).digest('hex')}`
      : path.join(directory, 'kitbridge.lock');
  for (let attempt = 1; ; attempt++) {
    const server = net.createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end(`${process.pid}\n`);
    });
    try {
      await listen(server, address);
      // The lock lasts as long as the process; it must not keep an otherwise finished process alive.
      server.unref();
      return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      const holder = await askHolder(address);
      if (holder.refused && kind === 'file' && attempt === 1) {
        rmSync(address, { force: true }); // left by a process that crashed
        continue;
      }
      const who = holder.pid ? `kitbridge process ${holder.pid}` : 'another kitbridge process';
      throw new DataDirInUse(
        `${directory} is in use by ${who}: the embedded database allows one process per data directory (stop that one, or use DATABASE_URL for several)`,
      );
    }
  }
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The holder's pid; `refused` when nothing listens (a socket file left by a crash). */
function askHolder(address: string): Promise<{ pid?: string; refused: boolean }> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(address);
    socket.setEncoding('utf8');
    // A holder that is stopped (SIGSTOP) still holds the lock, it just cannot say its pid.
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => {
      const pid = /^\d+$/.exec(answer.trim())?.[0];
      resolve({ pid, refused: false });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve({ refused: true });
    });
  });
}
