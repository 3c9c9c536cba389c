import { parentPort } from 'node:worker_threads';
import { sanitizeKitHtml, type SanitizedHtml } from './html';

/** The worker thread of sanitizer.ts: one Html in, its sanitized form (or why it was refused) out. */
export interface HtmlTask {
  id: number;
  html: string;
}
export type HtmlAnswer = { id: number; result: SanitizedHtml } | { id: number; error: string };

const port = parentPort!;
port.on('message', ({ id, html }: HtmlTask) => {
  let answer: HtmlAnswer;
  try {
    answer = { id, result: sanitizeKitHtml(html) };
  } catch (error) {
    answer = { id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(answer);
});
