import { AppError } from './errors';

/**
 * Counts failures per client address in fixed windows: enough to stop guessing at a secret (the webhook URL,
 * the admin token) without keeping state for ever. Memory is bounded: at most `maxClients` addresses are
 * tracked, and expired windows are dropped first.
 */
export interface FailureLimiter {
  /**
   * Call when `client` presented a wrong secret: counts it, or throws 429 with Retry-After once the client
   * has failed too often in the current window. The caller then answers as it would to any wrong secret.
   */
  fail(client: string): void;
  /**
   * Call before checking a secret whose limit locks the client out: throws the same 429 while `client` is
   * locked out, so a guesser can tell a hit from a miss neither by the answer nor by its time.
   */
  refuseLockedOut(client: string): void;
}

/** Failed secrets per client address and minute before 429: plenty for a typo, too few to guess. */
export const FAILURES_PER_MINUTE = 30;

export function createFailureLimiter({
  maxFailures = FAILURES_PER_MINUTE,
  windowMs = 60_000,
  maxClients = 10_000,
  now = Date.now,
}: {
  maxFailures?: number;
  windowMs?: number;
  maxClients?: number;
  now?: () => number;
} = {}): FailureLimiter {
  const windows = new Map<string, { failures: number; resetAt: number }>();

  function current(client: string) {
    const window = windows.get(client);
    if (window && window.resetAt > now()) return window;
    windows.delete(client);
    return undefined;
  }

  function makeRoom() {
    if (windows.size < maxClients) return;
    const t = now();
    for (const [client, window] of windows) if (window.resetAt <= t) windows.delete(client);
    // Still full: forget the oldest (Map keeps insertion order).
    while (windows.size >= maxClients) windows.delete(windows.keys().next().value!);
  }

  function refuse(window: { resetAt: number }): never {
    const retryAfterSeconds = Math.ceil((window.resetAt - now()) / 1000);
    throw new AppError('rate-limited', 'Too many failed attempts from this address.', { retryAfterSeconds });
  }

  return {
    fail(client) {
      const window = current(client);
      if (!window) {
        makeRoom();
        windows.set(client, { failures: 1, resetAt: now() + windowMs });
      } else if (window.failures < maxFailures) {
        window.failures += 1;
      } else {
        refuse(window);
      }
    },
    refuseLockedOut(client) {
      const window = current(client);
      if (window && window.failures >= maxFailures) refuse(window);
    },
  };
}
