import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** What any token looks like (WEBHOOK_TOKENS, ADMIN_TOKEN): a URL path segment, too long to be guessed. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{22,200}$/;

/** ≥128 bits, URL-safe: 24 random bytes are 32 base64url characters. */
export const generateToken = () => randomBytes(24).toString('base64url');

/** Tokens are compared, and stored in the database, as their SHA-256. */
export const tokenDigest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** The two steps of a token comparison; tests pass instrumented ones to check its shape. */
export interface TokenComparison {
  hash(candidate: string): Buffer;
  equal(a: Buffer, b: Buffer): boolean;
}

const CONSTANT_TIME: TokenComparison = { hash: tokenDigest, equal: timingSafeEqual };

/**
 * Compares the candidate with every accepted token digest in constant time: hashing first makes every
 * comparison one of two equal-length digests, whatever the candidate's length, and the loop never stops early,
 * so timing reveals neither which characters nor which token matched.
 */
export function matchesAnyToken(candidate: string, digests: readonly Buffer[], { hash, equal }: TokenComparison = CONSTANT_TIME): boolean {
  const candidateDigest = hash(candidate);
  let matched = false;
  for (const digest of digests) matched = equal(candidateDigest, digest) || matched;
  return matched;
}

/** Where the generated token is kept. */
export const generatedTokenFile = (dataDir: string) => path.join(dataDir, 'webhook-token');

/** The token generated at a first start in this data directory, if there is one. */
export async function readGeneratedToken(dataDir: string): Promise<string | undefined> {
  const stored = await fs.readFile(generatedTokenFile(dataDir), 'utf8').then((s) => s.trim(), () => '');
  return stored || undefined;
}

/**
 * The token generated on first start when WEBHOOK_TOKENS is not set, kept in the data directory (readable only
 * by the service's user) so the URL pasted into Kit Builder survives restarts. `generatedNow`: by this call.
 */
export async function generatedToken(dataDir: string): Promise<{ token: string; generatedNow: boolean }> {
  const stored = await readGeneratedToken(dataDir);
  if (stored) return { token: stored, generatedNow: false };
  const token = generateToken();
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(generatedTokenFile(dataDir), `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generatedNow: true };
}
