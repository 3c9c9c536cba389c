import type { Problem } from '../http/errors';
import { CommandError, type Context } from './command';

/** One call to the service; its body is parsed as JSON when it is JSON. */
export async function call(url: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new CommandError(`Cannot reach ${new URL(url).origin}: ${reason}. Is kitbridge running?`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** A problem answer in one line, with each failing field on a line of its own. */
export function problemText(status: number, answer: unknown): string {
  if (typeof answer !== 'object' || answer === null) return `HTTP ${status}`;
  const body = answer as Partial<Problem>;
  const fields = (body.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
  return `HTTP ${status} ${body.code ?? ''}: ${body.detail ?? body.title ?? ''}${fields}`;
}

/** A call to the service's admin API; a problem answer becomes a CommandError carrying its detail. */
export async function admin<T>(context: Context, method: string, pathAndQuery: string, body?: object): Promise<T> {
  if (!context.adminToken) throw new CommandError('Set ADMIN_TOKEN (the same as the service has) or pass --admin-token.');
  const { status, body: answer } = await call(context.server + pathAndQuery, {
    method,
    headers: { Authorization: `Bearer ${context.adminToken}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const problem = answer as Partial<Problem> | null;
  if (status === 404 && problem?.code === 'not-found' && !problem.detail) {
    throw new CommandError(`${context.server} has no admin API: start kitbridge with ADMIN_TOKEN set.`);
  }
  if (status >= 400) throw new CommandError(problemText(status, answer));
  return answer as T;
}
