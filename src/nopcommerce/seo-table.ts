/**
 * nopCommerce's transliteration table (UrlRecordService's static table, used when the shop's
 * seosettings.convertnonwesternchars is on), reduced to the keys that can match: nopCommerce looks characters
 * up after ToLowerInvariant, so its upper-case keys never do, and it lower-cases the values. Transcribed from
 * the research notes (nop-research §3.3, read from UrlRecordService.cs) and, for U+1EA0-U+1EF9, from the table
 * itself. Not included (the notes describe them only by example): U+1D00-U+1D6B (small capitals and modifier
 * letters) and U+1E00-U+1E9F (Latin Extended Additional before the Vietnamese letters); with unicode URLs on
 * (nopCommerce's default) such letters are kept as they are, with it off they are dropped.
 *
 * Format: "<code point>[-<last>][/<step>] <value>" separated by "|"; a range maps every code point in it
 * (every second one with /2) to the value; "" is the empty value.
 */
const SPEC = `00AA a|00BA o|00DF s|00E0-00E5 a|00E6 ae|00E7 c|00E8-00EB e|00EC-00EF i|00F0 d|00F1 n|00F2-00F6 o|00F8 o|
00F9-00FC u|00FD y|00FE th|00FF y|
0101-0105/2 a|0107-010D/2 c|010F-0111/2 d|0113-011B/2 e|011D-0123/2 g|0125-0127/2 h|0129-0131/2 i|0133 i|0135 j|0137 k|0138 k|
013A-0140/2 l|0142 l|0144-0148/2 n|0149 'n|014B ng|014D-0151/2 o|0153 oe|0155-0159/2 r|015B-0161/2 s|0163-0167/2 t|
0169-0173/2 u|0175 w|0177 y|017A-017E/2 z|017F s|
0180 b|0183 b|0185 6|0188 c|018C d|018D d|0192 f|0195 hv|0199 k|019A l|019B l|019E n|01A1 o|01A3 oi|01A5 p|
01A8 2|01AA s|01AB t|01AD t|01B0 u|01B4 y|01B6 z|01B9 z|01BA z|01BB 2|01BD 5|01BF w|01C0-01C3 !|
01C6 d|01C9 lj|01CC nj|01CE a|01D0 i|01D2 o|01D4-01DC/2 u|01DD e|01DF a|01E1 a|01E3 ae|01E5 g|01E7 g|
01E9 k|01EB o|01ED o|01EF z|01F0 j|01F3 dz|01F5 g|01F9 n|01FB a|01FD ae|01FF o|0201 a|0203 a|0205 e|0207 e|
0209 i|020B i|020D o|020F o|0211 r|0213 r|0215 u|0217 u|0219 s|021B t|021D z|021F h|0221 d|0223 ou|0225 z|0227 a|
0229 e|022B-0231/2 o|0233 y|0234 l|0235 n|0236 t|
0250-0252 a|0253 b|0254 o|0255 c|0256-0257 d|0258-025E e|025F j|0260-0263 g|0264 y|0265-0267 h|
0268-026A i|026B-026D l|026E lz|026F-0271 m|0272-0274 n|0275 o|0276 oe|0277 o|0278 ph|
0279-0281 r|0282-0283 s|0284 j|0285-0286 s|0287 y|0288 t|0289-028B u|028C v|028D w|028E-028F y|
0290-0293 z|0294-0296 '|0297 c|0299 b|029A e|029B g|029C h|029D j|029E k|029F l|02A0 q|02A1-02A2 '|
02A3-02A5 dz|02A6-02A7 ts|02A8 |02A9 fn|02AA ls|02AB lz|02AC w|02AD t|02AE-02B1 h|02B2 j|
02B3-02B6 r|02B7 w|02B8 y|02E1 l|02E2 s|02E3 x|02E4 '|
1E9B s|1EA1-1EB7/2 a|1EB9-1EC7/2 e|1EC9-1ECB/2 i|1ECD-1EE3/2 o|1EE5-1EF1/2 u|1EF3-1EF9/2 y|
2071 i|207F n|212A k|212B a|212C b|212D c|212F-2130 e|2131-2132 f|2133 m|2134 0|213A 0|2141 g|2142-2143 l|2144 y|
2145-2146 d|2147 e|2148 i|2149 j|
FB00 ff|FB01 fi|FB02 fl|FB03 ffi|FB04 ffl|FB05 st|FB06 st|FF41-FF5A a-z|
0430 a|0431 b|0432 v|0433 g|0434 d|0435 e|0451 yo|0436 zh|0437 z|0438 i|0439 j|043A k|043B l|043C m|043D n|043E o|
043F p|0440 r|0441 s|0442 t|0443 u|0444 f|0445 h|0446 c|0447 ch|0448 sh|0449 shh|044A |044B y|044C |044D e|044E yu|
044F ya|0456 i|0457 i|0454 ie|0491 g|045E u`;

function parse(spec: string): Map<number, string> {
  const table = new Map<number, string>();
  for (const entry of spec.replace(/\n/g, '').split('|')) {
    const [, first, last, step, value = ''] = /^([0-9A-F]{4})(?:-([0-9A-F]{4}))?(?:\/(\d))? ?(.*)$/.exec(entry)!;
    const from = parseInt(first!, 16);
    const to = last ? parseInt(last, 16) : from;
    for (let code = from, i = 0; code <= to; code += Number(step ?? 1), i++) {
      // "a-z" over a range of letters maps each to its own letter (fullwidth a-z).
      table.set(code, value === 'a-z' ? String.fromCharCode(0x61 + i) : value);
    }
  }
  return table;
}

export const SEO_CHARACTER_TABLE: ReadonlyMap<number, string> = parse(SPEC);
