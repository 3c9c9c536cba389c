/**
 * Counts failures per client address in fixed windows: enough to stop guessing at the secret webhook URL
 * without keeping state for ever. Memory is bounded: at most `maxClients` addresses are tracked, and expired
 * windows are dropped first.
 */
export interface FailureLimiter {
  /** seconds to wait when `client` has failed too often in the current window, else 0 */
  retryAfter(client: string): number;
  recordFailure(client: string): void;
}

export function createFailureLimiter({
  maxFailures,
  windowMs,
  maxClients = 10_000,
  now = Date.now,
}: {
  maxFailures: number;
  windowMs: number;
  maxClients?: number;
  now?: () => number;
}): FailureLimiter {
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

  return {
    retryAfter(client) {
      const window = current(client);
      return window && window.failures >= maxFailures ? Math.ceil((window.resetAt - now()) / 1000) : 0;
    },
    recordFailure(client) {
      const window = current(client);
      if (window) {
        window.failures += 1;
        return;
      }
      makeRoom();
      windows.set(client, { failures: 1, resetAt: now() + windowMs });
    },
  };
}
