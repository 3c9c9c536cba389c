import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { matchesAnyToken, resolveWebhookTokens } from '../../src/checkout/tokens';

it('generates a URL-safe token of at least 128 bits on first start and reuses it afterwards', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-data-'));
  const [first] = await resolveWebhookTokens(undefined, dir);
  expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(await resolveWebhookTokens(undefined, dir)).toEqual([first]);
  expect((await fs.stat(path.join(dir, 'webhook-token'))).mode & 0o777).toBe(0o600);
  expect(await resolveWebhookTokens(['configured-token-aaaaaaaaaaaa'], dir)).toEqual(['configured-token-aaaaaaaaaaaa']);
  await fs.rm(dir, { recursive: true });
});

it('matches any configured token and nothing else', () => {
  expect(matchesAnyToken('b', ['a', 'b'])).toBe(true);
  expect(matchesAnyToken('c', ['a', 'b'])).toBe(false);
  expect(matchesAnyToken('', [])).toBe(false);
});
