import { createHmac, randomBytes } from 'node:crypto';
import type { Db } from '../db/database';
import { tokenDigest } from '../webhook-tokens/tokens';

/**
 * Console sessions: a random id in the browser's cookie, only its SHA-256 in the database. A session ends
 * SESSION_HOURS after sign-in, or after IDLE_HOURS without a request, or at sign-out.
 */

export const SESSION_HOURS = 12;
export const IDLE_HOURS = 2;
const HOUR_MS = 3_600_000;
// Refreshing last_seen_at at most once a minute keeps reading pages from writing on every request.
const TOUCH_AFTER_MS = 60_000;

export interface Session {
  id: string;
  /** the token every form of this session carries; derived from the id, so it needs no storage */
  csrfToken: string;
}

const digestOf = (id: string) => tokenDigest(id).toString('hex');
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function sessionOf(id: string): Session {
  return { id, csrfToken: createHmac('sha256', id).update('kitbridge console form').digest('base64url') };
}

/** A new session; sessions that have ended are removed at the same time, so the table stays small. */
export async function startSession(db: Db, now: number): Promise<Session> {
  await db('console_sessions')
    .where('expires_at', '<=', new Date(now))
    .orWhere('last_seen_at', '<=', new Date(now - IDLE_HOURS * HOUR_MS))
    .delete();
  const id = randomBytes(32).toString('base64url');
  await db('console_sessions').insert({
    id_sha256: digestOf(id),
    created_at: new Date(now),
    last_seen_at: new Date(now),
    expires_at: new Date(now + SESSION_HOURS * HOUR_MS),
  });
  return sessionOf(id);
}

/** The session with this id if it has not ended; marks it as seen. */
export async function findSession(db: Db, id: string, now: number): Promise<Session | undefined> {
  if (!SESSION_ID.test(id)) return undefined;
  const row = await db('console_sessions')
    .where({ id_sha256: digestOf(id) })
    .where('expires_at', '>', new Date(now))
    .where('last_seen_at', '>', new Date(now - IDLE_HOURS * HOUR_MS))
    .first('last_seen_at');
  if (!row) return undefined;
  if (new Date(row.last_seen_at).getTime() < now - TOUCH_AFTER_MS) {
    await db('console_sessions').where({ id_sha256: digestOf(id) }).update({ last_seen_at: new Date(now) });
  }
  return sessionOf(id);
}

export async function endSession(db: Db, id: string): Promise<void> {
  await db('console_sessions').where({ id_sha256: digestOf(id) }).delete();
}
