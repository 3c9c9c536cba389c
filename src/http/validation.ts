import type { z } from 'zod';
import type { FieldProblem } from './errors';

/** A zod error as the problem body's `errors`: one entry per failing field path. */
export const fieldProblems = (error: z.ZodError): FieldProblem[] =>
  error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
