import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generatedToken, matchesAnyToken, tokenDigest } from '../../src/webhook-tokens/tokens';

it('generates a URL-safe token of at least 128 bits on first start and reuses it afterwards', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-data-'));
  const first = await generatedToken(dir);
  expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(await generatedToken(dir)).toBe(first);
  expect((await fs.stat(path.join(dir, 'webhook-token'))).mode & 0o777).toBe(0o600);
  await fs.rm(dir, { recursive: true });
});

it('matches any configured token and nothing else', () => {
  const digests = ['a', 'b'].map(tokenDigest);
  expect(matchesAnyToken('b', digests)).toBe(true);
  expect(matchesAnyToken('c', digests)).toBe(false);
  expect(matchesAnyToken('', [])).toBe(false);
});
