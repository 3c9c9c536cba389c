import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../shared/worker';
import { sanitizeKitHtml, type SanitizedHtml } from './html';
import type { HtmlAnswer, HtmlTask } from './html-worker';

/**
 * Html up to this many characters is sanitized on the event loop. Up to here that costs no more than the round
 * trip to the worker (both ~0.8 ms at 4 KiB, in the costliest shapes too; bench/RESULTS.md), and most kits'
 * Html is far shorter.
 */
export const INLINE_HTML_CHARS = 4096;

export interface HtmlSanitizer {
  sanitize(html: string): Promise<SanitizedHtml>;
  /** stops the worker thread; pending sanitizing fails */
  close(): Promise<void>;
}

/**
 * Sanitizes long Html in one worker thread, so a long one never holds up other requests (/healthz, small
 * deliveries). One is enough: sanitizing is linear in the Html's length and the Html limit bounds it; long
 * ones queue. The worker starts with the first long Html and keeps the process alive only while it has work.
 */
export function createHtmlSanitizer(): HtmlSanitizer {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (result: SanitizedHtml) => void; reject: (error: Error) => void }>();

  const started = (): Worker => {
    if (worker) return worker;
    const entry = path.join(__dirname, `html-worker${path.extname(__filename)}`);
    const thread = startWorker(entry);
    thread.on('message', (answer: HtmlAnswer) => {
      const task = pending.get(answer.id);
      pending.delete(answer.id);
      if (pending.size === 0) thread.unref();
      if ('error' in answer) task?.reject(new Error(`sanitizing Html failed: ${answer.error}`));
      else task?.resolve(answer.result);
    });
    // A thread that failed takes its work with it; the next long Html starts a new one.
    const lost = (error: Error) => {
      if (worker !== thread) return;
      worker = undefined;
      for (const task of pending.values()) task.reject(error);
      pending.clear();
    };
    thread.on('error', lost);
    thread.on('exit', (code) => lost(new Error(`the Html worker thread exited (code ${code})`)));
    worker = thread;
    return thread;
  };

  return {
    async sanitize(html) {
      if (html.length <= INLINE_HTML_CHARS) return sanitizeKitHtml(html);
      if (closed) throw new Error('the Html sanitizer is closed');
      const thread = started();
      const id = nextId++;
      const answer = new Promise<SanitizedHtml>((resolve, reject) => pending.set(id, { resolve, reject }));
      thread.ref();
      thread.postMessage({ id, html } satisfies HtmlTask);
      return answer;
    },
    async close() {
      closed = true;
      await worker?.terminate();
    },
  };
}
