import sanitizeHtml from 'sanitize-html';

/**
 * How deep elements may nest in Kit Builder's Html. Its "basic HTML with images and form values" needs a
 * handful of levels; browsers stop nesting at 512. The bound is what keeps sanitizing linear: htmlparser2
 * (under sanitize-html) keeps its open elements in an array it grows at the front, so every start tag costs as
 * much as the depth, and every end tag of an element that is not open searches the whole stack.
 */
export const MAX_HTML_DEPTH = 256;

export type SanitizedHtml = { html: string } | { reason: string };

/** Thrown from the parser's callbacks to stop a parse as soon as it goes deeper than the bound. */
class TooDeep extends Error {}

/**
 * launder (sanitize-html's URL check) drops the characters up to space from a URL, then removes `<!-- -->`
 * from it one comment at a time, copying the URL each time: a URL of many comments costs its length squared.
 * No real link or image has a comment in it, so such a URL is dropped before that check, as a `javascript:`
 * one would be. href and src are the URL attributes the allow-list keeps.
 */
const URL_ATTRIBUTES = ['href', 'src'];
const IGNORED_IN_URLS = /[\x00-\x20]+/g;
function withoutCommentedUrls(tagName: string, attribs: sanitizeHtml.Attributes) {
  for (const name of URL_ATTRIBUTES) {
    if (attribs[name]?.replace(IGNORED_IN_URLS, '').includes('<!--')) delete attribs[name];
  }
  return { tagName, attribs };
}

/**
 * Kit Builder's Html is "basic HTML with images and form values". Keep that, drop everything that can run:
 * script/style elements, event handler attributes, and any URL scheme other than http(s) (images may be data:).
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'span', 'label'],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    '*': ['class'],
  },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: { '*': withoutCommentedUrls },
};

/**
 * The Html with only what is allowed kept, or why it was refused. Costs time in proportion to its length
 * (bench/html.ts measures every shape of input that used to cost more).
 */
export function sanitizeKitHtml(html: string): SanitizedHtml {
  // The parser's open elements, counted by its own callbacks: every start tag it keeps open is closed by an
  // end tag, implied or not, void elements at once.
  let depth = 0;
  const counting: sanitizeHtml.IOptions = {
    ...options,
    onOpenTag: () => {
      if (++depth > MAX_HTML_DEPTH) throw new TooDeep();
    },
    onCloseTag: () => void depth--,
  };
  try {
    return { html: sanitizeHtml(html, counting) };
  } catch (error) {
    if (error instanceof TooDeep) return { reason: `nests elements more than ${MAX_HTML_DEPTH} deep` };
    throw error;
  }
}
