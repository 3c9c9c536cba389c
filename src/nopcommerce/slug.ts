import type { NopVersion } from './schema';
import { SEO_CHARACTER_TABLE } from './seo-table';
import { cutUnits } from './text';

/** The shop's SEO settings that shape a slug (Setting seosettings.*; installed: unicode on, conversion off). */
export interface SeoSettings {
  convertNonWesternChars: boolean;
  allowUnicodeCharsInUrls: boolean;
}

export const DEFAULT_SEO: SeoSettings = { convertNonWesternChars: false, allowUnicodeCharsInUrls: true };

/** NopSeoDefaults.SearchEngineNameLength */
const MAX_SLUG = 200;
const OK_CHARS = 'abcdefghijklmnopqrstuvwxyz1234567890 _-';

// .NET's String.Trim: char.IsWhiteSpace at both ends (JavaScript's trim differs on U+0085 and U+FEFF).
const DOTNET_TRIM = /^[\p{Zs}\u2028\u2029\t-\r\u0085]+|[\p{Zs}\u2028\u2029\t-\r\u0085]+$/gu;
// char.IsLetterOrDigit of one UTF-16 unit: Lu, Ll, Lt, Lm, Lo, Nd (a surrogate half is neither).
const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}]$/u;

/** ToLowerInvariant: the simple lower-case mapping of each UTF-16 unit (no final sigma, İ becomes i). */
const lowerInvariant = (text: string) =>
  text
    .split('')
    .map((c) => {
      if (c === '\u0130') return 'i';
      const lower = c.toLowerCase();
      return lower.length === 1 ? lower : c;
    })
    .join('');

/**
 * UrlRecordService.GetSeNameAsync(name, convertNonWesternChars, allowUnicodeCharsInUrls), ported per release
 * (nop-research §3.1): trim, lower-case, then per UTF-16 unit keep a-z 0-9 space _ - (and letters and digits
 * when unicode URLs are allowed) or their transliteration, then runs of spaces and hyphens become one hyphen
 * and runs of underscores one underscore. The two releases differ only with transliteration on: up to 4.60 a
 * transliteration is kept only if the original is a letter or digit (unicode on) or the transliteration is a
 * substring of the allowed characters; from 4.70 it is always kept.
 *
 * Per UTF-16 unit, as C#'s `foreach (var c in name)` walks a string: a character outside the Basic
 * Multilingual Plane (𠮷 U+20BB7, 𝕏, an emoji) is two surrogate halves, neither a letter nor a digit to
 * char.IsLetterOrDigit, nor in the table, so nopCommerce drops it; so a slug never holds one, and fits a
 * utf8mb3 column as it fits every other engine's.
 */
export function seName(name: string, seo: SeoSettings, version: NopVersion): string {
  const keepsEveryTransliteration = version !== '4.60';
  let out = '';
  for (const c of lowerInvariant(name.replace(DOTNET_TRIM, '')).split('')) {
    const transliteration = seo.convertNonWesternChars ? SEO_CHARACTER_TABLE.get(c.charCodeAt(0)) : undefined;
    const letterOrDigit = seo.allowUnicodeCharsInUrls && LETTER_OR_DIGIT.test(c);
    if (transliteration !== undefined) {
      const lower = lowerInvariant(transliteration);
      if (keepsEveryTransliteration || letterOrDigit || OK_CHARS.includes(lower)) out += lower;
    } else if (OK_CHARS.includes(c) || letterOrDigit) {
      out += c;
    }
  }
  return out.replace(/[\s-]+/g, '-').replace(/_+/g, '_');
}

/**
 * The slug of a line's product: the shop's own SEO name of "<kit name> <size>", then the delivery's hash and the
 * line's position, so it is unique by construction and deterministic, which is how a retried delivery finds the
 * products an earlier attempt already committed. At most 200 characters, as nopCommerce cuts them.
 */
export function lineSlug(
  kitName: string,
  size: string,
  deliveryHash: string,
  position: number,
  shop: { seo: SeoSettings; version: NopVersion },
): string {
  const suffix = `-${deliveryHash.slice(0, 16)}-${position + 1}`;
  const words = cutUnits(seName(`${kitName} ${size}`, shop.seo, shop.version), MAX_SLUG - suffix.length).replace(/-+$/, '');
  return `${words || 'kit'}${suffix}`;
}

/** The kit picture's Picture.SeoFilename, as PictureService.GetPictureSeNameAsync makes one: transliterated, ASCII only. */
export const pictureFileName = (kitName: string, version: NopVersion) =>
  seName(kitName, { convertNonWesternChars: true, allowUnicodeCharsInUrls: false }, version).slice(0, 300) || 'kit';
