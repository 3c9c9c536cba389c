import { z } from 'zod';

/**
 * Text PostgreSQL can store unchanged, at most `max` UTF-16 code units: no NUL (a text value cannot hold one)
 * and no lone surrogate (which has no UTF-8 form). Every text a client sends to be stored or searched for is
 * read with it.
 */
export const storableText = (max: number, tooLong?: string) =>
  z
    .string()
    .max(max, tooLong)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode');
