import type { z } from 'zod';
import { AppError } from '../http/errors';

export function invalidPayload(error: z.ZodError): AppError {
  const errors = error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(body)',
    message: issue.message,
  }));
  return new AppError('invalid-payload', `${errors.length} field(s) failed validation.`, { errors });
}

export function invalidImage(reason: string): AppError {
  return new AppError('invalid-image', `SingleItemCheckout.MainImage ${reason}.`, {
    errors: [{ path: 'SingleItemCheckout.MainImage', message: reason }],
  });
}
