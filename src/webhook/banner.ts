import { webhookUrl } from './routes';

/** The token the start-up banner is about, and where the operator finds it. */
export type BannerToken =
  | { source: 'WEBHOOK_TOKENS'; token: string }
  | { source: 'generated'; token: string; file: string; generatedNow: boolean }
  /** the generated token was revoked and WEBHOOK_TOKENS is not set: no URL to show */
  | { source: 'none' };

/**
 * What the service prints at start for the operator to paste into Kit Builder. The URL holds the secret, and
 * stdout is often kept by a log store (systemd's journal, docker logs): the full URL is printed only when this
 * start generated the token (the one moment the operator must learn it) or stdout is a terminal. Otherwise the
 * banner says where the token is, without it.
 */
export function webhookUrlBanner(base: string, shown: BannerToken, { terminal }: { terminal: boolean }): string {
  if (shown.source === 'none') {
    return '\nThe generated webhook token was revoked; add one with "npx kitbridge tokens add" for a new URL.\n\n';
  }
  if (terminal || (shown.source === 'generated' && shown.generatedNow)) {
    return `\nPaste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${webhookUrl(base, shown.token)}\n\n`;
  }
  const [placeholder, howToGetIt] =
    shown.source === 'WEBHOOK_TOKENS'
      ? ['<a token from WEBHOOK_TOKENS>', '']
      : [
          `<the token in ${shown.file}>`,
          'Read it from that file, or start kitbridge in a terminal to see the whole URL; "npx kitbridge tokens add" makes a new one.\n',
        ];
  return (
    `\nKit Builder's company page, "Webhook Endpoint URL", takes:\n  ${webhookUrl(base, placeholder)}\n` +
    `The token is not printed: this output is not a terminal and may be kept in logs.\n${howToGetIt}\n`
  );
}
