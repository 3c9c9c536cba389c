import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a running service says it listens, so the CLI on the same machine finds it on any port: a small JSON
 * file in the data directory, written once listening and removed at shutdown. A file left by a crash names a
 * process that is gone, and is ignored.
 */
const FILE = 'kitbridge.address.json';

export async function writeAddressFile(dataDir: string, url: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, FILE);
  await fs.writeFile(file, `${JSON.stringify({ url, pid: process.pid })}\n`);
  return () => fs.rm(file, { force: true });
}

/** The running service's URL, if its address file names a live process. */
export function readAddressFile(dataDir: string): string | undefined {
  try {
    const { url, pid } = JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8')) as { url?: unknown; pid?: unknown };
    if (typeof url !== 'string' || typeof pid !== 'number') return undefined;
    process.kill(pid, 0); // throws when no such process is running
    return url;
  } catch {
    return undefined;
  }
}
