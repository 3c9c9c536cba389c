import { createHmac } from 'node:crypto';
import { webhookBodyOf } from './message';
import { causeOf, type Sender } from './sender';
import type { WebhookSettings } from './settings';

/** Standard Webhooks recommends 15-30 s for a receiver to answer; well inside the announcer's lease. */
const TIMEOUT_MS = 20_000;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** The symmetric `v1` signature of Standard Webhooks: HMAC-SHA256 of "{id}.{timestamp}.{body}", key base64 after whsec_. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `at`; absent or unreadable: undefined. */
function retryAfterMs(header: string | null, at: Date): number | undefined {
  if (!header) return undefined;
  const ms = /^\d+$/.test(header.trim()) ? Number(header) * 1000 : Date.parse(header) - at.getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}

/**
 * The print room's webhook, signed the Standard Webhooks way. 2xx is delivered; a redirect is a failure (the
 * spec: fix the URL instead); 410 Gone means the receiver wants no more, so the row fails at once; anything
 * else is retried, after Retry-After when the receiver gives one.
 */
export function webhookSender(settings: WebhookSettings): Sender {
  return {
    channel: 'webhook',
    async send(announcement, at) {
      const body = webhookBodyOf(announcement);
      const timestamp = Math.floor(at.getTime() / 1000);
      let response: Response;
      try {
        response = await fetch(settings.url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(TIMEOUT_MS),
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'kitbridge',
            'webhook-id': announcement.messageId,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': webhookSignature(settings.secret, announcement.messageId, timestamp, body),
          },
          body,
        });
      } catch (error) {
        return { ok: false, cause: causeOf(error), permanent: false };
      }
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return {
        ok: false,
        cause: `the receiver answered ${response.status} ${response.statusText}`.trim(),
        permanent: response.status === 410,
        retryAfterMs: retryAfterMs(response.headers.get('Retry-After'), at),
      };
    },
    close: () => undefined,
  };
}
