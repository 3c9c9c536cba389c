import fc from 'fast-check';
import { MAX_HTML_DEPTH, sanitizeKitHtml } from '../../src/webhook/html';
import { createHtmlSanitizer, INLINE_HTML_CHARS } from '../../src/webhook/sanitizer';
import { HOSTILE_HTML, type HostileShape } from '../factories/hostile-html';

const ALLOWED_TAGS = new Set([
  'address', 'article', 'aside', 'footer', 'header', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hgroup', 'main', 'nav',
  'section', 'blockquote', 'dd', 'div', 'dl', 'dt', 'figcaption', 'figure', 'hr', 'li', 'menu', 'ol', 'p', 'pre',
  'ul', 'a', 'abbr', 'b', 'bdi', 'bdo', 'br', 'cite', 'code', 'data', 'dfn', 'em', 'i', 'kbd', 'mark', 'q', 'rb',
  'rp', 'rt', 'rtc', 'ruby', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr',
  'caption', 'col', 'colgroup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'img', 'label',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'title', 'src', 'alt', 'width', 'height', 'colspan', 'rowspan', 'class']);

/** The URL's scheme as a browser reads it (ignoring control characters and spaces); '' when relative. */
const schemeOf = (url: string) => /^([a-z][a-z0-9+.-]*):/i.exec(url.replace(/[\x00-\x20]/g, ''))?.[1]?.toLowerCase() ?? '';

/** What "sanitized" promises: only allowed elements and attributes; links relative or http(s), images also data:. */
function expectSafe(html: string) {
  expect(html).not.toContain('<!--');
  // Text is escaped, so every "<" left starts an element the sanitizer wrote.
  for (const [, name, attributes] of html.matchAll(/<\/?([^\s/>]+)([^>]*)>/g)) {
    expect(ALLOWED_TAGS).toContain(name);
    for (const [, attribute, value] of attributes!.matchAll(/\s([^\s=/]+)(?:="([^"]*)")?/g)) {
      expect(ALLOWED_ATTRIBUTES).toContain(attribute);
      if (attribute === 'href' || attribute === 'src') {
        expect(['', 'http', 'https', ...(attribute === 'src' ? ['data'] : [])]).toContain(schemeOf(value!));
        expect(value).not.toMatch(/^[\s/\\]{2}/); // protocol-relative: another site
      }
    }
  }
}

/** The shapes whose element stack grows with their length: refused once it passes the bound. */
const TOO_DEEP: HostileShape[] = [
  'unclosed <a>',
  'unclosed tags of every kind',
  'unclosed tags with text',
  'deep nesting, closed',
  'closing tags never opened',
  'one closing tag for a deep stack',
  '<p> inside inline elements',
  'tables without closing tags',
  'foreign elements (svg, math)',
];

describe.each(Object.entries(HOSTILE_HTML))('Html shaped as %s', (shape, make) => {
  it(TOO_DEEP.includes(shape as HostileShape) ? 'is refused for nesting too deep' : 'keeps only what is allowed', () => {
    const result = sanitizeKitHtml(make(64 * 1024));
    if (TOO_DEEP.includes(shape as HostileShape)) {
      expect(result).toEqual({ reason: `nests elements more than ${MAX_HTML_DEPTH} deep` });
    } else {
      expect(result).toHaveProperty('html');
      if ('html' in result) expectSafe(result.html);
    }
  });
});

it('keeps elements nested as deep as the bound and refuses one more', () => {
  const nested = (depth: number) => `${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}`;
  expect(sanitizeKitHtml(nested(MAX_HTML_DEPTH))).toEqual({ html: nested(MAX_HTML_DEPTH) });
  expect(sanitizeKitHtml(nested(MAX_HTML_DEPTH + 1))).toHaveProperty('reason');
  // void elements and closed siblings never deepen the stack, however many
  const flat = '<p>a<br><img src="https://x.test/a.png"></p>'.repeat(10_000);
  expect(sanitizeKitHtml(flat)).toHaveProperty('html');
});

it.each([
  ['a comment hiding javascript:', '<a href="java<!-- -->script:alert(1)">x</a>', '<a>x</a>'],
  ['comments split by control characters', '<a href="java<\t!-- -->script:alert(1)">x</a>', '<a>x</a>'],
  ['an image URL with a comment', '<img src="https://x.test/<!--a-->b.png">', '<img />'],
  ['an encoded comment', '<a href="https://x.test/&lt;!--a--&gt;">x</a>', '<a>x</a>'],
])('drops a URL with %s', (_, html, sanitized) => {
  expect(sanitizeKitHtml(html)).toEqual({ html: sanitized });
});

it('keeps a data: image, links and form values', () => {
  const html = '<table><tr><th>Club</th><td><label>Ølstykke FC</label></td></tr></table><a href="https://x.test/k?a=1&amp;b=2">kit</a><img src="data:image/png;base64,iVBORw0KGgo=" alt="kit" />';
  expect(sanitizeKitHtml(html)).toEqual({ html });
});

// Pieces of markup, allowed and not, in any order: at most one element opened per piece, so never too deep.
const piece = fc.oneof(
  fc.constantFrom(...ALLOWED_TAGS).map((tag) => `<${tag}>`),
  fc.constantFrom(...ALLOWED_TAGS).map((tag) => `</${tag}>`),
  fc.constantFrom(
    '<script>alert(1)</script>', '<style>*{}</style>', '<svg onload=alert(1)>', '<math>', '<iframe src="https://x.test">',
    '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">', '<a href="JaVa&#x53;cript:alert(1)">',
    '<a href="java<!---->script:alert(1)">', '<img src="data:text/html,<script>alert(1)</script>">', '<a href="//evil.test">',
    '<a href="https://x.test/" onclick="alert(1)" title="t">', '<img src="data:image/png;base64,AAAA" width="1">',
    '<!--', '-->', '<![CDATA[', ']]>', '<?php ?>', '<!doctype html>', '&lt;', '&', '&#0;', '&#x110000;', '<', '>', '"', "'",
    '<textarea>', '</textarea>', '<option>', '<xmp>', '</p>', '</br>', '<td colspan="2" onmouseover="x">', '<b/>', '<a\n href="https://x.test">',
  ),
  fc.string({ maxLength: 8 }),
);

it('keeps only what is allowed from any mix of markup', () => {
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 200 }), (pieces) => {
      const result = sanitizeKitHtml(pieces.join(''));
      expect(result).toHaveProperty('html');
      if ('html' in result) expectSafe(result.html);
    }),
    { numRuns: 300 },
  );
});

describe('the sanitizer', () => {
  const sanitizer = createHtmlSanitizer();
  afterAll(() => sanitizer.close());

  it('answers long Html from its worker thread exactly as sanitizing it here would', async () => {
    for (const make of Object.values(HOSTILE_HTML)) {
      const html = make(4 * INLINE_HTML_CHARS);
      expect(await sanitizer.sanitize(html)).toEqual(sanitizeKitHtml(html));
    }
  });

  it('sanitizes long Html concurrently, each answer to its own Html', async () => {
    const htmls = Array.from({ length: 8 }, (_, i) => `<p>${i}</p><script>x</script>`.repeat(INLINE_HTML_CHARS / 10));
    const answers = await Promise.all(htmls.map((html) => sanitizer.sanitize(html)));
    expect(answers).toEqual(htmls.map((_, i) => ({ html: `<p>${i}</p>`.repeat(INLINE_HTML_CHARS / 10) })));
  });
});
