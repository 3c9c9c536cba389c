import type { z } from 'zod';
import { AppError, type FieldProblem } from './errors';

/** A zod error as the problem body's `errors`: one entry per failing field path. */
export const fieldProblems = (error: z.ZodError): FieldProblem[] =>
  error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));

/** Input checked by its schema; a 400 naming each failing field otherwise. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw new AppError('bad-request', 'Invalid parameters.', { errors: fieldProblems(parsed.error) });
  return parsed.data;
}
