import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { knex } from 'knex';

/** What the benchmarks share: processes to measure, and fresh databases on the real PostgreSQL. */

/** How late a service's event loop ran, ms (bench/event-loop-delay.ts reports it). */
export type EventLoopDelay = { p50: number; p99: number; max: number };

export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * CPU seconds a process has used (user + system), from /proc (Linux; clock ticks of 1/100 s, `getconf CLK_TCK`);
 * `pid/task/pid` for its main thread only, the one that runs the event loop.
 */
export function cpuSeconds(pid: number | string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of every PostgreSQL server process now running, by pid. */
export function postgresCpu(): Map<string, number> {
  const used = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') used.set(pid, cpuSeconds(pid));
    } catch {
      // the process ended while being read
    }
  }
  return used;
}

/** PostgreSQL CPU seconds since `before`: backends that started count in full, ones that ended are not seen. */
export function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, seconds] of postgresCpu()) total += seconds - (before.get(pid) ?? 0);
  return total;
}

/** A new database on the PostgreSQL server; `drop` removes it, closing whatever is still connected. */
export async function createDatabase() {
  const name = `kitbridge_bench_${randomBytes(4).toString('hex')}`;
  const admin = knex({ client: 'pg', connection: ADMIN_URL, pool: { min: 0, max: 1 } });
  await admin.raw('create database ??', [name]);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: async () => (await admin.raw('drop database ?? with (force)', [name]), await admin.destroy()) };
}

/** Starts a process and resolves once `ready` matches its stdout. */
export async function startProcess(args: string[], env: Record<string, string>, ready: RegExp) {
  const child: ChildProcess = spawn(process.execPath, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) resolve(found);
    });
    child.once('exit', () => reject(new Error(`${args.join(' ')} exited:\n${output}`)));
  });
  child.stdout!.resume();
  const status = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
  const rss = () => status('VmRSS');
  /** the highest RSS since the process started (the kernel's high-water mark), MB */
  const peakRss = () => status('VmHWM');
  const cpu = () => cpuSeconds(child.pid!);
  /** CPU of the main thread alone: the one that runs the event loop */
  const eventLoopCpu = () => cpuSeconds(`${child.pid}/task/${child.pid}`);
  /** with bench/event-loop-delay.js preloaded: its delays since the last call */
  const eventLoopDelay = async (): Promise<EventLoopDelay> => {
    const line = new Promise<EventLoopDelay>((resolve) => {
      const read = (chunk: Buffer) => {
        const found = /\{"eventLoopDelay":(\{[^}]*\})\}/.exec(chunk.toString());
        if (found) resolve(JSON.parse(found[1]!));
        else child.stdout!.once('data', read);
      };
      child.stdout!.once('data', read);
    });
    child.kill('SIGUSR2');
    return line;
  };
  return { match, rss, peakRss, cpu, eventLoopCpu, eventLoopDelay, stop: async () => (child.kill('SIGTERM'), await once(child, 'exit')) };
}

