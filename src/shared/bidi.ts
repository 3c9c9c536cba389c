/**
 * Unicode's direction controls: the embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069) and
 * the marks (U+200E, U+200F, U+061C). They are invisible and reorder the text around them, so "\u202E19" shows
 * as 91: printed on a shirt, a number or a name would come out wrong with nobody seeing why. Right-to-left
 * scripts need none of them to show in order.
 */
const CONTROL = '[\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]';
const ANY = new RegExp(CONTROL);
const EVERY = new RegExp(CONTROL, 'g');

export const hasDirectionControl = (text: string): boolean => ANY.test(text);

/** Each direction control as a visible ⟨U+202E⟩, for sheets that print text kitbridge did not check itself. */
export const showDirectionControls = (text: string): string =>
  text.replace(EVERY, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
