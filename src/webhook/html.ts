import sanitizeHtml from 'sanitize-html';

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
};

export function sanitizeKitHtml(html: string): string {
  return sanitizeHtml(html, options);
}
