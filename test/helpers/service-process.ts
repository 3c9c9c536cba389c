import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createScratchDatabase } from './database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildIfStale, root } = require('../../bin/build-if-stale') as { buildIfStale(): void; root: string };

/** A fresh database on the machine's PostgreSQL for a service process; `drop` removes it. */
export const createServiceDatabase = () => createScratchDatabase('kitbridge_proc');

export type ServiceProcess = Awaited<ReturnType<typeof startServiceProcess>>;

/** The built service (`node dist/src/server.js`, as `npm start` runs it), on a free port. */
export async function startServiceProcess(env: Record<string, string>) {
  buildIfStale();
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'dist/src/server.js')], {
    env: { PATH: process.env.PATH, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit');
  const webhookUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /(http:\/\/\S+\/webhooks\/kitbuilder\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => reject(new Error(`service exited:\n${output}`)));
  });
  return {
    webhookUrl,
    origin: new URL(webhookUrl).origin,
    output: () => output,
    /** resident memory of the process now, in bytes (Linux) */
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) * 1024,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      child.kill(signal);
      await exited;
    },
  };
}
