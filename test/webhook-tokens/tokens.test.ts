import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { generatedToken, generateToken, matchesAnyToken, tokenDigest } from '../../src/webhook-tokens/tokens';

it('generates a URL-safe token of at least 128 bits on first start and reuses it afterwards', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kitbridge-data-'));
  const first = await generatedToken(dir);
  expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(first.generatedNow).toBe(true);
  expect(await generatedToken(dir)).toEqual({ token: first.token, generatedNow: false });
  expect((await fs.stat(path.join(dir, 'webhook-token'))).mode & 0o777).toBe(0o600);
  await fs.rm(dir, { recursive: true });
});

it('matches any configured token and nothing else', () => {
  const digests = ['a', 'b'].map(tokenDigest);
  expect(matchesAnyToken('b', digests)).toBe(true);
  expect(matchesAnyToken('c', digests)).toBe(false);
  expect(matchesAnyToken('', [])).toBe(false);
});

describe('a token comparison takes the same steps whatever the candidate, so its timing reveals nothing', () => {
  const accepted = [generateToken(), generateToken(), generateToken()];
  const digests = accepted.map(tokenDigest);
  /** Runs the comparison with its two steps recorded. */
  function traced(candidate: string) {
    const hashed: string[] = [];
    const compared: Array<[Buffer, Buffer]> = [];
    const matched = matchesAnyToken(candidate, digests, {
      hash: (value) => (hashed.push(value), tokenDigest(value)),
      equal: (a, b) => (compared.push([a, b]), timingSafeEqual(a, b)),
    });
    return { matched, hashed, compared };
  }
  const secret = accepted[1]!;
  const candidates = {
    'the first token': accepted[0]!,
    'the last token': accepted[2]!,
    'all but the last character of a token': `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`,
    'a prefix of a token': secret.slice(0, 8),
    'a token with more after it': `${secret}x`,
    'nothing': '',
  };

  it.each(Object.entries(candidates))('%s: hashed once, then compared as a digest with every accepted digest', (_, candidate) => {
    const { matched, hashed, compared } = traced(candidate);
    expect(matched).toBe(accepted.includes(candidate));
    expect(hashed).toEqual([candidate]);
    // Every accepted digest, in order, also after a match: the loop never stops early.
    expect(compared.map(([, b]) => b)).toEqual(digests);
    // Only the candidate's digest is compared, never the candidate itself: always 32 bytes against 32 bytes.
    for (const [a, b] of compared) {
      expect(a).toEqual(tokenDigest(candidate));
      expect([a.length, b.length]).toEqual([32, 32]);
    }
  });
});
