import type { Db } from '../db/database';
import { activeTokenDigests } from './store';
import { tokenDigest } from './tokens';

export interface TokenRing {
  /** digests of every accepted token; read on each request */
  digests(): readonly Buffer[];
  /** re-reads the database's tokens now */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * The accepted webhook tokens: the configured ones (WEBHOOK_TOKENS), which never change while running, plus the
 * database's active ones, re-read every `refreshMs` so `kitbridge tokens add|revoke` applies within seconds.
 * While the database cannot be read, the last list read stays in force.
 */
export function createTokenRing(db: Db, configured: readonly string[], refreshMs: number, onError: (e: unknown) => void): TokenRing {
  const fixed = configured.map(tokenDigest);
  let all: readonly Buffer[] = fixed;
  const refresh = async () => {
    all = [...fixed, ...(await activeTokenDigests(db))];
  };
  const timer = setInterval(() => refresh().catch(onError), refreshMs);
  timer.unref();
  return { digests: () => all, refresh, stop: () => clearInterval(timer) };
}
