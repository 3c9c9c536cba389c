import { matchesAnyToken, TOKEN_FORMAT } from '../webhook-tokens/tokens';
import { WEBHOOK_PATH } from './routes';

/** In the decoded path: the webhook path in any spelling (any case, repeated slashes), then its first secret character. */
const AFTER_WEBHOOK_PATH = new RegExp(`${WEBHOOK_PATH.replaceAll('/', '/+')}/+[^/]`, 'i');

const decoded = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/**
 * The request path as it may be logged. Webhook tokens are secrets, so what is hidden is decided by the secret,
 * not by one spelling of the path: every segment that is, percent-decoded, an accepted token, wherever it is;
 * and everything after the webhook path in any spelling, so a near-miss of the token (a typo, an old token) is
 * not logged either. `digests` are the accepted tokens' digests, read on every request.
 */
export function webhookPathRedactor(digests: () => readonly Buffer[]): (path: string) => string {
  // Only what has a token's form is hashed: a path of thousands of tiny segments costs no more than one.
  const isToken = (text: string) => text.split('/').some((part) => TOKEN_FORMAT.test(part) && matchesAnyToken(part, digests()));
  return (path) => {
    const segments = path.split('/');
    const plain = segments.map(decoded);
    const match = AFTER_WEBHOOK_PATH.exec(plain.join('/'));
    const hiddenFrom = match ? segmentAt(plain, match.index + match[0].length - 1) : segments.length;
    const shown = segments.slice(0, hiddenFrom).map((segment, i) => (isToken(plain[i]!) ? '[redacted]' : segment));
    return (hiddenFrom < segments.length ? [...shown, '[redacted]'] : shown).join('/');
  };
}

/** The index of the segment that holds `position` of the segments joined with '/'. */
function segmentAt(segments: string[], position: number): number {
  let end = -1;
  for (const [i, segment] of segments.entries()) {
    end += segment.length + 1;
    if (position <= end) return i;
  }
  return segments.length;
}
