/**
 * Html that costs a sanitizer the most per character, each shape grown to about `size` characters by
 * repeating a unit. Used by the tests (each is sanitized safely and refused or kept as it should be) and by
 * bench/html.ts (time against size for each, to find every shape whose cost grows faster than its length).
 */

/** Elements the allow-list keeps and ones the parser treats specially (foreign, implied ends); raw text below. */
const TAGS = [
  'a', 'b', 'i', 'em', 'strong', 'span', 'label', 'div', 'p', 'ul', 'ol', 'li', 'table', 'tbody', 'tr', 'td', 'th',
  'h1', 'blockquote', 'pre', 'code', 'dl', 'dd', 'dt', 'caption', 'section', 'figure', 'ruby', 'rt', 'sub', 'sup',
  'form', 'select', 'option', 'button', 'svg', 'math', 'font', 'center', 'x-custom',
];

/** `unit` repeated until the text is about `size` characters, between `head` and `tail`. */
const grow = (size: number, unit: string, head = '', tail = '') =>
  head + unit.repeat(Math.max(1, Math.floor((size - head.length - tail.length) / unit.length))) + tail;

const cycle = (size: number, make: (tag: string) => string) => grow(size, TAGS.map(make).join(''));

export const HOSTILE_HTML = {
  /** the case: an element stack as deep as the text is long */
  'unclosed <a>': (size: number) => grow(size, '<a>'),
  'unclosed tags of every kind': (size: number) => cycle(size, (tag) => `<${tag}>`),
  'unclosed tags with text': (size: number) => cycle(size, (tag) => `<${tag} class="c">text `),
  'deep nesting, closed': (size: number) => grow(size / 2, '<span>') + grow(size / 2, '</span>'),
  'closing tags never opened': (size: number) => grow(size / 2, '<b>') + grow(size / 2, '</i>'),
  'misnested closing tags': (size: number) => grow(size, '<i><b><span></i>'),
  'one closing tag for a deep stack': (size: number) => grow(size, '<b>', '<i>', '</i>'),
  '<p> inside inline elements': (size: number) => grow(size, '<p><b>'),
  '</p> without <p>': (size: number) => grow(size, '</p>'),
  'tables without closing tags': (size: number) => grow(size, '<table><tr><td>'),
  'foreign elements (svg, math)': (size: number) => grow(size, '<svg><math><desc>'),
  'raw-text elements': (size: number) => grow(size, '<textarea><option><xmp><script>'),
  'void elements': (size: number) => grow(size, '<br><img src="https://x.test/a.png"><hr><input></br>'),
  'many attributes on one tag': (size: number) => {
    let attributes = '';
    for (let i = 0; attributes.length < size - 10; i++) attributes += ` a${i}="v"`;
    return `<a${attributes}>x</a>`;
  },
  'the same attribute repeated': (size: number) => grow(size, ' href="https://x.test/"', '<a', '>x</a>'),
  'event handlers everywhere': (size: number) => grow(size, '<img src=x onerror="alert(1)" onload=alert(2)>'),
  'a huge attribute value': (size: number) => grow(size, 'x', '<a href="https://x.test/', '">x</a>'),
  'comments inside a URL': (size: number) => grow(size, '<!---->', '<a href="java', 'script:alert(1)">x</a>'),
  'comments split by tabs inside a URL': (size: number) => grow(size, '<\t!---->', '<a href="java', 'script:alert(1)">x</a>'),
  'encoded comments inside a URL': (size: number) => grow(size, '&lt;!----&gt;', '<img src="', 'x">'),
  'control characters inside a URL': (size: number) => grow(size, '&#9;&#10;', '<a href="java', 'script:alert(1)">x</a>'),
  'a huge data: image': (size: number) => grow(size, 'iVBORw0KGgo', '<img src="data:image/png;base64,', '">'),
  comments: (size: number) => grow(size, '<!-- c -->'),
  'an unclosed comment': (size: number) => grow(size, '-', '<!--'),
  CDATA: (size: number) => grow(size, '<![CDATA[x]]>'),
  'an unclosed CDATA': (size: number) => grow(size, 'x', '<![CDATA['),
  'processing instructions and doctypes': (size: number) => grow(size, '<?x?><!doctype html>'),
  'named entities': (size: number) => grow(size, '&amp;&lt;&nbsp;&notin;'),
  'numeric entities': (size: number) => grow(size, '&#x41;&#65;&#x1F600;'),
  'an unterminated numeric entity': (size: number) => grow(size, '9', '&#'),
  'entity prefixes without end': (size: number) => grow(size, '&am'),
  'lone angle brackets': (size: number) => grow(size, '<<>>< a'),
  'an unclosed tag': (size: number) => grow(size, 'a', '<b '),
  'an unclosed attribute value': (size: number) => grow(size, 'x', '<a href="'),
} satisfies Record<string, (size: number) => string>;

export type HostileShape = keyof typeof HOSTILE_HTML;
