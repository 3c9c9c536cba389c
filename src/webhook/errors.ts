import type { z } from 'zod';
import { AppError } from '../http/errors';
import { fieldProblems } from '../http/validation';

export function invalidPayload(error: z.ZodError): AppError {
  const errors = fieldProblems(error);
  return new AppError('invalid-payload', `${errors.length} field(s) failed validation.`, { errors });
}

export function invalidImage(reason: string): AppError {
  return new AppError('invalid-image', `SingleItemCheckout.MainImage ${reason}.`, {
    errors: [{ path: 'SingleItemCheckout.MainImage', message: reason }],
  });
}
