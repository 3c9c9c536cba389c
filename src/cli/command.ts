import type { Config } from '../config';

/** Where output goes, and the environment the CLI reads: injected so tests run it in-process. */
export interface Io {
  env: NodeJS.ProcessEnv;
  /** the .env file to read beneath the environment, as the service does (the bin passes ./.env) */
  dotEnvFile?: string;
  out(text: string): void;
  err(text: string): void;
}

/** A wrong command line: exit code 2, with the command's help. */
export class UsageError extends Error {}
/** The command ran and failed: exit code 1, with this message. */
export class CommandError extends Error {}

/** What every command is given. */
export interface Context {
  io: Io;
  json: boolean;
  /** the service's origin, without a trailing slash */
  server: string;
  adminToken?: string;
  /** the configuration, validated as the service validates it, read when a command needs it */
  config(): Config;
}

export type OptionSpec = { type: 'string' | 'boolean'; short?: string };
export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** one line for the list of commands */
  summary: string;
  /** the command's own help: usage lines, then what it does */
  help: string;
  /** the command's options, beside --json, --help, --server and --admin-token */
  options?: Record<string, OptionSpec>;
  run(context: Context, positionals: string[], values: Values): Promise<number>;
}

export const required = (value: string | undefined, name: string): string => {
  if (!value) throw new UsageError(`Missing <${name}>.`);
  return value;
};

/** A whole number option, at most five digits. */
export const count = (value: string | boolean | undefined, name: string, fallback: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,5}$/.test(value)) throw new UsageError(`--${name} must be a whole number.`);
  return Number(value);
};

/** Prints `value` as JSON with --json, else as `human` says; exit code 0. */
export function show<T>(context: Context, value: T, human: (value: T) => string): number {
  context.io.out(context.json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
  return 0;
}
