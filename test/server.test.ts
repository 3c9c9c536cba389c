import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateToken } from '../src/webhook-tokens/tokens';
import { sampleDelivery } from './factories/delivery';
import { spawnService, startServiceProcess } from './helpers/service-process';

// The built service as `npm start` runs it, on the embedded database in a data directory of its own.
jest.setTimeout(240_000);

let dataDir: string;
beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-server-'));
});
afterEach(() => fs.rm(dataDir, { recursive: true, force: true }));

const deliver = (url: string) =>
  fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sampleDelivery()) });

describe('one process per embedded database', () => {
  it('refuses a second start on the same data directory with one line naming it and the holder\'s pid', async () => {
    const first = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      const second = spawnService({ DATA_DIR: dataDir });
      const served = await second.banner.then(() => true, () => false);
      if (served) second.child.kill('SIGKILL');
      expect(served).toBe(false);
      expect(await second.exited).toBe(1);
      const lines = second.output().trim().split('\n');
      expect(lines).toEqual([
        `kitbridge could not start: ${await fs.realpath(dataDir)} is in use by kitbridge process ${first.pid}: the embedded database allows one process per data directory (stop that one, or use DATABASE_URL for several)`,
      ]);
      // The first is untouched and keeps what it stored.
      expect((await deliver(first.webhookUrl)).status).toBe(200);
    } finally {
      await first.kill('SIGKILL');
    }
  });

  it('starts again on the data directory of a process that was killed, and finds its kits there', async () => {
    const first = await startServiceProcess({ DATA_DIR: dataDir });
    const created = await (await deliver(first.webhookUrl)).json();
    await first.kill('SIGKILL');
    const again = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      expect((await fetch(`${again.origin}/products/${created.id}`)).status).toBe(200);
    } finally {
      await again.kill('SIGTERM');
    }
  });
});

describe('the start-up banner', () => {
  it('prints the whole webhook URL on the start that generated the token, and only a hint on later starts', async () => {
    const first = await startServiceProcess({ DATA_DIR: dataDir });
    const token = (await fs.readFile(path.join(dataDir, 'webhook-token'), 'utf8')).trim();
    expect(first.output()).toContain(`Paste this into Kit Builder's company page, "Webhook Endpoint URL":\n  ${first.origin}/webhooks/kitbuilder/${token}\n`);
    await first.kill('SIGTERM'); // a clean stop releases the data directory too

    const later = await startServiceProcess({ DATA_DIR: dataDir });
    try {
      expect(later.output()).not.toContain(token);
      expect(later.output()).toContain(`${later.origin}/webhooks/kitbuilder/<the token in ${path.join(dataDir, 'webhook-token')}>`);
      expect(later.output()).toContain('The token is not printed');
      expect((await deliver(later.webhookUrl)).status).toBe(200); // it is still the same URL
    } finally {
      await later.kill('SIGTERM');
    }
  });

  it('never prints a token from WEBHOOK_TOKENS to an output that is not a terminal', async () => {
    const token = generateToken();
    const service = await startServiceProcess({ DATA_DIR: dataDir, WEBHOOK_TOKENS: token });
    try {
      expect(service.output()).not.toContain(token);
      expect(service.output()).toContain(`${service.origin}/webhooks/kitbuilder/<a token from WEBHOOK_TOKENS>`);
      expect((await deliver(service.webhookUrl)).status).toBe(200);
    } finally {
      await service.kill('SIGTERM');
    }
  });
});
