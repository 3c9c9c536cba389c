import fc from 'fast-check';
import { DEFAULT_SEO, lineSlug, seName } from '../../src/nopcommerce/slug';

const UNICODE_OFF = { convertNonWesternChars: false, allowUnicodeCharsInUrls: false };
const CONVERT = { convertNonWesternChars: true, allowUnicodeCharsInUrls: true };
const CONVERT_ASCII = { convertNonWesternChars: true, allowUnicodeCharsInUrls: false };

describe("nopCommerce's GetSeNameAsync", () => {
  it.each([
    ['Ølstykke FC', DEFAULT_SEO, 'ølstykke-fc'],
    ['Ølstykke FC', UNICODE_OFF, 'lstykke-fc'],
    ['Ølstykke FC', CONVERT, 'olstykke-fc'],
    ['Müller & Söhne FC', DEFAULT_SEO, 'müller-söhne-fc'],
    ['Müller & Söhne FC', UNICODE_OFF, 'mller-shne-fc'],
    ['Müller & Söhne FC', CONVERT, 'muller-sohne-fc'],
    ['  Kit 2024 -', DEFAULT_SEO, 'kit-2024-'],
    ['- Kit', DEFAULT_SEO, '-kit'],
    ['Kit (A)!', DEFAULT_SEO, 'kit-a'],
    ['a__b  c--d', DEFAULT_SEO, 'a_b-c-d'],
    ['Kit 🦄 Ünicorn', DEFAULT_SEO, 'kit-ünicorn'],
    ['Олег Жуков', CONVERT, 'oleg-zhukov'],
    ['Олег', DEFAULT_SEO, 'олег'],
    ['İstanbul ΣΟΦΙΑΣ', DEFAULT_SEO, 'istanbul-σοφιασ'],
    ['Tiếng Việt', CONVERT, 'tieng-viet'],
    // Letters outside the Basic Multilingual Plane are two UTF-16 units, neither a letter to char.IsLetterOrDigit.
    ['𠮷田 FC', DEFAULT_SEO, '田-fc'],
    ['𝕏 Team', DEFAULT_SEO, '-team'],
    ['𝕏 Team', CONVERT, '-team'],
  ])('makes %p with %o into %p on every version', (name, seo, slug) => {
    for (const version of ['4.60', '4.70', '4.80', '4.90'] as const) expect(seName(name, seo, version)).toBe(slug);
  });

  it('drops a transliteration of several letters up to 4.60 when unicode is off, and keeps it from 4.70', () => {
    expect(seName('Æbeltoft Þór', CONVERT_ASCII, '4.60')).toBe('beltoft-or');
    expect(seName('Æbeltoft Þór', CONVERT_ASCII, '4.70')).toBe('aebeltoft-thor');
    expect(seName('Ĳssel ŉ', CONVERT_ASCII, '4.60')).toBe('issel-');
    expect(seName('Ĳssel ŉ', CONVERT_ASCII, '4.90')).toBe("issel-'n");
  });
});

it('never holds half of a surrogate pair, nor a character outside the Basic Multilingual Plane, whatever the name', () => {
  const settings = fc.constantFrom(DEFAULT_SEO, UNICODE_OFF, CONVERT, CONVERT_ASCII);
  const version = fc.constantFrom('4.60' as const, '4.70' as const, '4.90' as const);
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), settings, version, (name, seo, v) => {
      expect(seName(name, seo, v)).not.toMatch(/[\uD800-\uDFFF]/);
    }),
  );
});

describe('a line product slug', () => {
  const hash = 'ab'.repeat(32);
  it('is the shop’s SEO name of the kit and size, then the delivery hash and line, at most 200 characters', () => {
    const shop = { seo: DEFAULT_SEO, version: '4.90' as const };
    expect(lineSlug('Ølstykke FC', 'XL', hash, 0, shop)).toBe(`ølstykke-fc-xl-${'ab'.repeat(8)}-1`);
    const long = lineSlug('Å'.repeat(300), 'S', hash, 9, shop);
    expect(long).toHaveLength(200);
    expect(long.endsWith(`-${'ab'.repeat(8)}-10`)).toBe(true);
    expect(lineSlug('!!!', '', hash, 0, { seo: UNICODE_OFF, version: '4.60' })).toBe(`kit-${'ab'.repeat(8)}-1`);
  });
});
