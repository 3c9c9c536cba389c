import type { TokenRow } from '../../webhook-tokens/store';
import { admin } from '../client';
import { required, show, UsageError, type Command } from '../command';

/** JSON as the service sends it: dates as strings. */
type Wire<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] extends Date ? string : T[K] };

export const tokens: Command = {
  name: 'tokens',
  summary: 'manage the secret webhook URLs without a restart (list|add|revoke)',
  help: `kitbridge tokens list [--json]
kitbridge tokens add [--label "why"] [--json]     prints the new URL to paste into Kit Builder's company page
kitbridge tokens revoke <id> [--json]             refused by the service within seconds

Tokens in WEBHOOK_TOKENS are configuration and are changed there.`,
  options: { label: { type: 'string' } },
  async run(context, [action, id], values) {
    if (action === 'list') {
      const answer = await admin<{ tokens: Array<Wire<TokenRow>> }>(context, 'GET', '/admin/tokens');
      return show(context, answer, ({ tokens: rows }) =>
        rows.map((t) => `${String(t.id).padStart(4)}  ${t.hint}  ${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}  ${t.label}`).join('\n') ||
        'No tokens in the database (WEBHOOK_TOKENS are not listed).',
      );
    }
    if (action === 'add') {
      const label = typeof values.label === 'string' ? { label: values.label } : {};
      const added = await admin<Wire<TokenRow> & { token: string; url: string }>(context, 'POST', '/admin/tokens', label);
      return show(context, added, (t) =>
        `Token ${t.id} added. Paste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${t.url}\nThen revoke the old one with: kitbridge tokens revoke <id>`,
      );
    }
    if (action === 'revoke') {
      const row = await admin<Wire<TokenRow>>(context, 'POST', `/admin/tokens/${encodeURIComponent(required(id, 'id'))}/revoke`);
      return show(context, row, (t) => `Token ${t.id} (${t.hint}) revoked; kitbridge refuses it within seconds.`);
    }
    throw new UsageError('Use tokens list, tokens add or tokens revoke <id>.');
  },
};
