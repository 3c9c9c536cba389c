export const DAY_MS = 86_400_000;

/** The moment `days` days before `now`. */
export const daysAgo = (days: number, now = Date.now()): Date => new Date(now - days * DAY_MS);
