import type { Announcement } from './message';
import type { Channel } from './settings';

/** One way of telling the print room; the announcer decides what a failure means for the row. */
export interface Sender {
  channel: Channel;
  /** `at` is the attempt's moment (the webhook signs it) */
  send(announcement: Announcement, at: Date): Promise<SendResult>;
  close(): void;
}

export type SendResult =
  | { ok: true }
  /** permanent: retrying cannot help (a refused address, 410 Gone); retryAfterMs: the receiver asked for a pause */
  | { ok: false; cause: string; permanent: boolean; retryAfterMs?: number };

/** An error as one line for the operator: its message and, for network errors, the underlying cause. */
export function causeOf(error: unknown): string {
  const err = error as { message?: string; cause?: { message?: string } };
  const text = [err?.message ?? String(error), err?.cause?.message].filter(Boolean).join(': ');
  return text.slice(0, 500);
}
