import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** ≥128 bits, URL-safe: 24 random bytes are 32 base64url characters. */
export const generateToken = () => randomBytes(24).toString('base64url');

/** Tokens are compared, and stored in the database, as their SHA-256. */
export const tokenDigest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Compares the candidate with every accepted token digest in constant time: hashing first makes the
 * comparison length-independent, and the loop never stops early, so timing reveals nothing.
 */
export function matchesAnyToken(candidate: string, digests: readonly Buffer[]): boolean {
  const candidateDigest = tokenDigest(candidate);
  let matched = false;
  for (const digest of digests) matched = timingSafeEqual(candidateDigest, digest) || matched;
  return matched;
}

const tokenFile = (dataDir: string) => path.join(dataDir, 'webhook-token');

/** The token generated at a first start in this data directory, if there is one. */
export async function readGeneratedToken(dataDir: string): Promise<string | undefined> {
  const stored = await fs.readFile(tokenFile(dataDir), 'utf8').then((s) => s.trim(), () => '');
  return stored || undefined;
}

/**
 * The token generated on first start when WEBHOOK_TOKENS is not set, kept in the data directory (readable only
 * by the service's user) so the URL pasted into Kit Builder survives restarts.
 */
export async function generatedToken(dataDir: string): Promise<string> {
  const stored = await readGeneratedToken(dataDir);
  if (stored) return stored;
  const token = generateToken();
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(tokenFile(dataDir), `${token}\n`, { mode: 0o600, flag: 'wx' });
  return token;
}
