import type { Db } from '../db/database';
import { generateToken, tokenDigest } from './tokens';

/** Webhook tokens managed at run time (`kitbridge tokens`), beside those in WEBHOOK_TOKENS. */

export interface TokenRow {
  id: number;
  hint: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
}

const toRow = (row: Record<string, unknown>): TokenRow => ({
  id: Number(row.id),
  hint: String(row.hint),
  label: String(row.label),
  createdAt: new Date(row.created_at as string),
  revokedAt: row.revoked_at ? new Date(row.revoked_at as string) : null,
});

/** The stored form of a token: its digest, and its first characters to tell tokens apart in a list. */
const storedForm = (token: string, label: string) => ({
  token_sha256: tokenDigest(token).toString('hex'),
  hint: `${token.slice(0, 4)}…`,
  label,
});

export async function listTokens(db: Db): Promise<TokenRow[]> {
  return (await db('webhook_tokens').orderBy('id')).map(toRow);
}

/** Adds a new random token; the only time its value is known. */
export async function addToken(db: Db, label: string): Promise<{ token: string; row: TokenRow }> {
  const token = generateToken();
  const [row] = await db('webhook_tokens').insert(storedForm(token, label)).returning('*');
  return { token, row: toRow(row) };
}

/** Registers a token that exists elsewhere (the generated one in DATA_DIR) so it can be listed and revoked. */
export async function registerToken(db: Db, token: string, label: string): Promise<void> {
  await db('webhook_tokens').insert(storedForm(token, label)).onConflict('token_sha256').ignore();
}

export async function revokeToken(db: Db, id: number): Promise<TokenRow | undefined> {
  const [row] = await db('webhook_tokens')
    .where({ id })
    .update({ revoked_at: db.raw('coalesce(revoked_at, now())') })
    .returning('*');
  return row ? toRow(row) : undefined;
}

export async function isTokenRevoked(db: Db, token: string): Promise<boolean> {
  const row = await db('webhook_tokens').where({ token_sha256: tokenDigest(token).toString('hex') }).first('revoked_at');
  return Boolean(row?.revoked_at);
}

export async function activeTokenDigests(db: Db): Promise<Buffer[]> {
  const rows = await db('webhook_tokens').whereNull('revoked_at').select('token_sha256');
  return rows.map((row) => Buffer.from(row.token_sha256, 'hex'));
}
