import type { Replay } from '../../webhook/replay';
import { admin } from '../client';
import { required, show, type Command } from '../command';
import { describeLink } from './send-sample';

export const replay: Command = {
  name: 'replay',
  summary: 're-run a failed delivery now that its cause is gone',
  help: `kitbridge replay <id> [--json]

Re-runs a failed delivery from its stored body (kept FAILED_DELIVERY_RETENTION_DAYS days, default 14).`,
  async run(context, [id]) {
    const result = await admin<Replay>(context, 'POST', `/admin/deliveries/${encodeURIComponent(required(id, 'id'))}/replay`);
    return show(context, result, (r) =>
      `Replayed delivery ${r.replayOf}: ${r.created ? 'kit created' : 'the kit already existed'}.\n${describeLink(r.link)}`,
    );
  },
};
