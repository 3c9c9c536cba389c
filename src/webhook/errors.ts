import type { z } from 'zod';
import { AppError, type ErrorCode } from '../http/errors';
import { fieldProblems } from '../http/validation';

export function invalidPayload(error: z.ZodError): AppError {
  const errors = fieldProblems(error);
  return new AppError('invalid-payload', `${errors.length} field(s) failed validation.`, { errors });
}

/** One field refused after the schema passed it, named in `errors` as the schema's problems are. */
const fieldRefused = (code: ErrorCode, path: string, reason: string) =>
  new AppError(code, `${path} ${reason}.`, { errors: [{ path, message: reason }] });

export const invalidImage = (reason: string) => fieldRefused('invalid-image', 'SingleItemCheckout.MainImage', reason);

/** Html the sanitizer refuses (html.ts). */
export const invalidHtml = (reason: string) => fieldRefused('invalid-payload', 'SingleItemCheckout.Html', reason);

const MiB = 1024 * 1024;

export function insufficientStorage(freeBytes: number, minFreeBytes: number): AppError {
  const mib = (bytes: number) => `${Math.floor(bytes / MiB)} MiB`;
  return new AppError(
    'insufficient-storage',
    `The disk that holds kit images has ${mib(freeBytes)} free; new images are refused below ${mib(minFreeBytes)} (MIN_FREE_DISK_BYTES). The kit was not stored.`,
  );
}
