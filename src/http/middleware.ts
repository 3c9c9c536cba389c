import type { Middleware } from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { classify } from './classify';
import { AppError, toProblem } from './errors';

export interface State {
  requestId: string;
  /** set where errors are answered in another form than problem+json (the console's pages) */
  renderProblem?: (problem: AppError) => void;
}

/** Absolute base for links: the configured public URL, else the request's own origin. */
export type BaseUrl = (request: { protocol: string; host: string }) => string;

export const baseUrlFrom =
  (publicBaseUrl: string | undefined): BaseUrl =>
  (request) =>
    publicBaseUrl ?? originOf(request);

/**
 * The request's own origin. A Host header that makes none (missing in HTTP/1.0, `a b`, `[`, a port beyond
 * 65535) or that carries more than a host and port (`a/b`, `evil@a`) is refused: links must not be built
 * from it, and a form's origin cannot be checked against it.
 */
function originOf(request: { protocol: string; host: string }): string {
  let url: URL | undefined;
  try {
    url = request.host ? new URL(`${request.protocol}://${request.host}`) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new AppError('bad-request', 'The Host header names no host kitbridge can make links to; set PUBLIC_BASE_URL behind a proxy.');
  }
  return url.origin;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;
/**
 * Outermost middleware: request id, the one log line per request, and the one error path.
 * Logs carry no bodies, tokens or images: `redactPath` gives the path as it may be logged.
 */
export function requestHandling(logger: Logger, redactPath: (path: string) => string): Middleware<State> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    let problem: string | undefined;
    let failure: unknown;
    const noteFailure = (error: unknown) => {
      const appError = classify(error);
      problem = appError.code;
      if (appError.status >= 500) failure = appError.extra.cause ?? error;
      return appError;
    };
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new AppError('not-found');
      if (ctx.status === 405 && ctx.body === undefined) throw new AppError('method-not-allowed');
    } catch (error) {
      const appError = noteFailure(error);
      if (appError.retryAfterSeconds) ctx.set('Retry-After', String(appError.retryAfterSeconds));
      if (ctx.state.renderProblem) {
        ctx.state.renderProblem(appError);
      } else {
        ctx.status = appError.status;
        ctx.type = 'application/problem+json';
        ctx.body = toProblem(appError, ctx.state.requestId);
      }
    }
    const line = {
      requestId: ctx.state.requestId,
      method: ctx.method,
      path: redactPath(ctx.path),
      status: ctx.status,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
      bytesIn: Number(ctx.get('Content-Length')) || 0,
      ...(problem ? { problem } : {}),
      ...(failure ? { err: errorSummary(failure) } : {}),
    };
    if (ctx.status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
  };
}

/** What of an unexpected error is safe to log: never the request, only our own message and stack. */
function errorSummary(error: unknown): Record<string, unknown> {
  const e = error as { name?: string; code?: string; message?: string; stack?: string };
  return { name: e?.name, code: e?.code, message: e?.message, stack: e?.stack };
}
