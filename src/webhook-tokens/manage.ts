import type { Db } from '../db/database';
import { storableText } from '../db/text';
import { AppError } from '../http/errors';
import type { TokenRing } from './ring';
import { addToken, revokeToken, type TokenRow } from './store';

/**
 * Adding and revoking webhook tokens as an operator does (admin API, console): the stored list changes and the
 * running service's ring is re-read at once, so the new URL works, and a revoked one is refused, on the next
 * request rather than within the ring's refresh interval.
 */

/** A token's name as an operator gives it (admin API, console): shown in lists, stored as text. */
export const tokenLabel = storableText(200).trim();

/** A new token; its value is known only now. */
export async function addWebhookToken(db: Db, ring: TokenRing, label: string): Promise<{ token: string; row: TokenRow }> {
  const added = await addToken(db, label);
  await ring.refresh();
  return added;
}

/** Revokes token `id` (as given in a URL); not-found when there is no such token. Revoking twice is harmless. */
export async function revokeWebhookToken(db: Db, ring: TokenRing, id: string): Promise<TokenRow> {
  const row = /^\d{1,9}$/.test(id) ? await revokeToken(db, Number(id)) : undefined;
  if (!row) throw new AppError('not-found', `No token ${id}.`);
  await ring.refresh();
  return row;
}
