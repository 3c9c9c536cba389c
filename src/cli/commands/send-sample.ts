import { readFileSync } from 'node:fs';
import { webhookUrl } from '../../webhook/routes';
import type { ProductLink } from '../../webhook/link';
import { generatedTokenFile, readGeneratedToken } from '../../webhook-tokens/tokens';
import { call, problemText } from '../client';
import { CommandError, count, type Command, type Context, type Values } from '../command';
import { readSample } from '../../webhook/sample';
import { generateDelivery } from '../generate';

export const sendSample: Command = {
  name: 'send-sample',
  summary: 'post a SingleItemCheckout to kitbridge as Kit Builder does',
  help: `kitbridge send-sample [URL] [--file payload.json | --teams N --units M [--image]] [--json]

Posts the documentation's sample (or the file, or a generated kit of N teams with M players each, with a
random 1000x1000 PNG when --image) to URL, or to the local service's webhook with its token (WEBHOOK_TOKENS, or
the token generated in DATA_DIR), exactly as Kit Builder would. Prints the answer and the product link.`,
  options: {
    file: { type: 'string' },
    teams: { type: 'string' },
    units: { type: 'string' },
    image: { type: 'boolean' },
  },
  async run(context, [url], values) {
    const payload = await payloadOf(values);
    const target = url ?? (await localWebhookUrl(context));
    const { status, body } = await call(target, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload });
    if (context.json) context.io.out(`${JSON.stringify({ status, body }, null, 2)}\n`);
    if (status !== 200) {
      throw new CommandError(status === 404 ? 'HTTP 404: kitbridge does not know this webhook URL (wrong or revoked token).' : problemText(status, body));
    }
    if (!context.json) context.io.out(`HTTP 200: the kit is stored.\n${describeLink(body as ProductLink)}\n`);
    return 0;
  },
};

async function payloadOf(values: Values): Promise<Blob> {
  const file = typeof values.file === 'string' ? values.file : undefined;
  if (file) {
    try {
      return new Blob([readFileSync(file)]);
    } catch (error) {
      throw new CommandError(`Cannot read ${file}: ${(error as Error).message}`);
    }
  }
  if (values.teams || values.units || values.image) {
    const teams = count(values.teams, 'teams', 1);
    const unitsPerTeam = count(values.units, 'units', 10);
    return new Blob([JSON.stringify(generateDelivery({ teams, unitsPerTeam, imageSide: values.image ? 1000 : undefined }))]);
  }
  return new Blob([new Uint8Array(await readSample())]);
}

/** The local service's webhook: the first configured token, else the one generated in the data directory. */
async function localWebhookUrl(context: Context): Promise<string> {
  const config = context.config();
  const token = config.webhookTokens?.[0] ?? (await readGeneratedToken(config.dataDir));
  if (!token) {
    throw new CommandError(`No URL given, WEBHOOK_TOKENS is not set and ${generatedTokenFile(config.dataDir)} cannot be read.`);
  }
  return webhookUrl(context.server, token);
}

export function describeLink(link: ProductLink): string {
  const lines = link.lines.map(
    (l) => `  ${l.quantity} × ${l.size || 'one size'} at ${l.unitPrice}${l.taxExempt ? ' (tax exempt)' : ''}${l.nopProductId ? ` → nopCommerce product ${l.nopProductId}` : ''}`,
  );
  const warnings = link.warnings.map((w) => `  ! ${w}`);
  const total = `${link.name}: ${link.quantity} garments, total ${link.total}${link.currency ? ` ${link.currency}` : ''}`;
  const image = link.imageUrl ? [`Image: ${link.imageUrl}`] : [];
  return [total, ...lines, ...warnings, `Product link: ${link.url}`, ...image].join('\n');
}
