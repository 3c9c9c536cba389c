import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** ≥128 bits, URL-safe: 24 random bytes are 32 base64url characters. */
export const generateToken = () => randomBytes(24).toString('base64url');

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Compares the candidate with every configured token in constant time: hashing first makes the
 * comparison length-independent, and the loop never stops early, so timing reveals nothing.
 */
export function matchesAnyToken(candidate: string, tokens: readonly string[]): boolean {
  const candidateDigest = digest(candidate);
  let matched = false;
  for (const token of tokens) matched = timingSafeEqual(candidateDigest, digest(token)) || matched;
  return matched;
}

/**
 * The tokens to accept: WEBHOOK_TOKENS when configured, else one generated on first start and kept in the
 * data directory (readable only by the service's user) so the URL pasted into Kit Builder survives restarts.
 */
export async function resolveWebhookTokens(configured: string[] | undefined, dataDir: string): Promise<string[]> {
  if (configured?.length) return configured;
  const file = path.join(dataDir, 'webhook-token');
  const stored = await fs.readFile(file, 'utf8').then((s) => s.trim(), () => '');
  if (stored) return [stored];
  const token = generateToken();
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return [token];
}
