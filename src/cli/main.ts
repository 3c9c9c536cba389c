import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config';
import { readAddressFile } from '../http/address-file';
import { CommandError, UsageError, type Command, type Context, type Io, type OptionSpec } from './command';
import { cleanup } from './commands/cleanup';
import { deliveries, delivery } from './commands/deliveries';
import { replay } from './commands/replay';
import { sendSample } from './commands/send-sample';
import { tokens } from './commands/tokens';

export type { Io } from './command';

const COMMANDS: Command[] = [sendSample, deliveries, delivery, replay, tokens, cleanup];

/** Options every command takes. */
const COMMON: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  server: { type: 'string' },
  'admin-token': { type: 'string' },
};

const OVERVIEW = `kitbridge <command> [options]

Commands:
${COMMANDS.map((c) => `  ${`${c.name}${c.name === 'tokens' ? ' list|add|revoke' : ''}`.padEnd(24)} ${c.summary}`).join('\n')}

Every command takes --json (machine-readable output) and --help. Commands other than send-sample use the
running service's admin API with ADMIN_TOKEN (or --admin-token). Every command finds the service started from
this folder by itself (its DATA_DIR records where it listens); elsewhere set KITBRIDGE_URL or pass --server.
Settings come from the environment and ./.env, as for the service.`;

/** Runs one command; resolves with the process exit code (0 ok, 1 failed, 2 usage). */
export async function run(argv: string[], io: Io): Promise<number> {
  const at = argv.findIndex((arg) => !arg.startsWith('-'));
  const name = at === -1 ? undefined : argv[at];
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const asked = name === undefined || name === 'help' || argv.includes('--help') || argv.includes('-h');
    if (asked && name !== undefined) return print(io.out, OVERVIEW, 0);
    if (asked) return print(io.out, OVERVIEW, argv.length === 0 ? 2 : 0);
    return print(io.err, `Unknown command "${name}".\n\n${OVERVIEW}`, 2);
  }
  try {
    const { values, positionals } = parseArgs({
      args: argv.filter((_, i) => i !== at),
      options: { ...COMMON, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) return print(io.out, command.help, 0);
    return await command.run(contextOf(io, values), positionals, values);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      return print(io.err, `${(error as Error).message}\n\n${command.help}`, 2);
    }
    return print(io.err, error instanceof CommandError ? error.message : `Failed: ${(error as Error).message}`, 1);
  }
}

function print(write: (text: string) => void, text: string, code: number): number {
  write(`${text}\n`);
  return code;
}

/** The command's context: flags first, then the configuration the service itself reads (read only if needed). */
function contextOf(io: Io, values: Record<string, string | boolean | undefined>): Context {
  let config: Config | undefined;
  const configOf = () => {
    try {
      config ??= loadConfig(io.env, io.dotEnvFile);
    } catch (error) {
      if (error instanceof ConfigError) throw new CommandError(error.message);
      throw error;
    }
    return config;
  };
  /** The service: KITBRIDGE_URL, else the address the one started from this folder left in DATA_DIR, else PORT. */
  const localService = ({ serviceUrl, dataDir, port }: Config) => serviceUrl ?? readAddressFile(dataDir) ?? `http://localhost:${port}`;
  const flag = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  return {
    io,
    json: Boolean(values.json),
    get server() {
      return (flag('server') ?? localService(configOf())).replace(/\/+$/, '');
    },
    get adminToken() {
      return flag('admin-token') ?? configOf().adminToken;
    },
    config: configOf,
  };
}
