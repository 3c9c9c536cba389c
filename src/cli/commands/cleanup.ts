import type { CleanupBatch } from '../../housekeeping/cleanup';
import { admin } from '../client';
import { show, UsageError, type Command } from '../command';

export const cleanup: Command = {
  name: 'cleanup',
  summary: 'remove old kits that were never ordered (--older-than 90d, --dry-run to only list them)',
  help: `kitbridge cleanup --older-than 90d [--dry-run] [--json]

Removes kits older than the age (and their image files), except those whose nopCommerce products were ordered.
--dry-run lists what would be removed. Progress goes to stderr.`,
  options: { 'older-than': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run(context, _, values) {
    const age = /^(\d{1,5})d$/.exec(typeof values['older-than'] === 'string' ? values['older-than'] : '');
    if (!age || Number(age[1]) < 1) throw new UsageError('--older-than is required, in days, like 90d.');
    const olderThanDays = Number(age[1]);
    const dryRun = Boolean(values['dry-run']);
    const removed: CleanupBatch['removed'] = [];
    const kept: CleanupBatch['kept'] = [];
    let imagesRemoved = 0;
    let after: string | undefined;
    let total: number | undefined;
    for (;;) {
      const batch = await admin<CleanupBatch>(context, 'POST', '/admin/cleanup', { olderThanDays, dryRun, after });
      removed.push(...batch.removed);
      kept.push(...batch.kept);
      imagesRemoved += batch.imagesRemoved;
      // The first batch's count: later ones shrink as kits are removed.
      total ??= batch.total;
      context.io.err(`checked ${removed.length + kept.length} of ${total} kits older than ${olderThanDays} days\n`);
      if (!batch.next) break;
      after = batch.next;
    }
    return show(context, { dryRun, removed, kept, imagesRemoved }, () =>
      [
        ...removed.map((k) => `${dryRun ? 'would remove' : 'removed'}  ${k.id}  ${k.createdAt}  ${k.name}`),
        ...kept.map((k) => `kept          ${k.id}  ${k.name} (${k.reason})`),
        `${dryRun ? 'Would remove' : 'Removed'} ${removed.length} kit(s) and ${dryRun ? 'their' : imagesRemoved} image file(s); kept ${kept.length}.`,
      ].join('\n'),
    );
  },
};
