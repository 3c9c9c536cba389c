export const DAY_MS = 86_400_000;

/** Milliseconds since `since`, a process.hrtime.bigint() reading. */
export const elapsedMs = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e6;

/** The moment `days` days before `now`. */
export const daysAgo = (days: number, now = Date.now()): Date => new Date(now - days * DAY_MS);
