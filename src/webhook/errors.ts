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

const MiB = 1024 * 1024;

export function insufficientStorage(freeBytes: number, minFreeBytes: number): AppError {
  const mib = (bytes: number) => `${Math.floor(bytes / MiB)} MiB`;
  return new AppError(
    'insufficient-storage',
    `The disk that holds kit images has ${mib(freeBytes)} free; new images are refused below ${mib(minFreeBytes)} (MIN_FREE_DISK_BYTES). The kit was not stored.`,
  );
}
