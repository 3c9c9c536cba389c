import { randomBytes } from 'node:crypto';

/** A kit's public id: random and URL-safe, as kit pages show a team roster and must not be enumerable. */
export const newKitId = (): string => randomBytes(16).toString('base64url');

/** Whether `id` has the shape of a kit id; anything else names no kit, and is never sent to the database. */
export const isKitId = (id: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(id);
