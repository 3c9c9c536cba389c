import fc from 'fast-check';
import type { KitDraft, LineDraft } from '../../src/kits/draft';
import { orderedRoster } from '../../src/nopcommerce/order-roster';
import { readRosterValue, rosterValues } from '../../src/nopcommerce/roster';
import { webUtilityHtmlEncode } from '../helpers/nop-cart';

/** AttributeDescription as ProductAttributeFormatter writes it: "<attribute>: <value>" each encoded, joined by <br />. */
const described = (attribute: string, values: string[]) => values.map((value) => webUtilityHtmlEncode(`${attribute}: ${value}`)).join('<br />');

describe('reading the roster an order line carries', () => {
  it('decodes nopCommerce’s encoding, splits at <br />, and sets the kit’s reference apart', () => {
    const description = described('Roster', ['Kit AbCdEfGhIjKlMnOpQrStUv: https://kits.test/k/AbCdEfGhIjKlMnOpQrStUv', 'Hold A – #7 – Søren & "Bo" <i>', 'Æblerne – Åse']);
    expect(description).toContain('S&#248;ren &amp; &quot;Bo&quot; &lt;i&gt;');
    expect(orderedRoster(description)).toEqual({
      kitId: 'AbCdEfGhIjKlMnOpQrStUv',
      values: ['Hold A – #7 – Søren & "Bo" <i>', 'Æblerne – Åse'],
      others: [],
    });
  });

  it('keeps the line’s other attributes, as text, whatever HTML the shop wrote for them', () => {
    const description = [
      'Colour: Red',
      described('Roster', ['#10 – Ida']),
      'Note: first line<br />second line',
      'File: <a href="https://shop.test/download/getfileupload/?downloadId=1" class="fileuploadattribute">logo&#39;s.png</a>',
      'Gift wrap: yes [+$1.00]',
    ].join('<br />');
    expect(orderedRoster(description)).toEqual({
      kitId: null,
      values: ['#10 – Ida'],
      others: ['Colour: Red', 'Note: first line', 'second line', "File: logo's.png", 'Gift wrap: yes [+$1.00]'],
    });
  });

  it('finds the roster under the name the shop translated the attribute to', () => {
    const description = described('Spillerliste', ['Kit AbCdEfGhIjKlMnOpQrStUv: https://kits.test/k/x', '#3 – Bo']) + '<br />Roster: not ours';
    expect(orderedRoster(description)).toMatchObject({ values: ['#3 – Bo'], others: ['Roster: not ours'] });
  });

  it('reads a line without attributes as no roster, and named entities too', () => {
    expect(orderedRoster(null)).toEqual({ kitId: null, values: [], others: [] });
    expect(orderedRoster('Roster: S&oslash;ren&nbsp;B<BR>Roster:')).toMatchObject({ values: ['Søren\u00a0B', ''] });
  });
});

describe('reading one roster value back', () => {
  const teams = new Set(['Hold A', 'U12 – Piger']);
  it.each([
    ['Hold A – #7 – Søren', { team: 'Hold A', number: '7', name: 'Søren' }],
    ['#7 – Søren – Bo', { team: '', number: '7', name: 'Søren – Bo' }],
    ['U12 – Piger – #9', { team: 'U12 – Piger', number: '9', name: '' }],
    ['U12 – Piger – Ida', { team: 'U12 – Piger', number: '', name: 'Ida' }],
    ['Hold A', { team: 'Hold A', number: '', name: '' }],
    ['Ida', { team: '', number: '', name: 'Ida' }],
    ['Hold B – Ida', { team: 'Hold B', number: '', name: 'Ida' }],
    ['Hold B – Ida – Bo', null],
  ])('reads “%s”', (text, entry) => {
    expect(readRosterValue(text, teams)).toEqual(entry);
  });

  it('gives back every unit kitbridge wrote to the product, through nopCommerce’s encoding', () => {
    const word = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes(' – ') && !s.trimStart().startsWith('#') && s.trim() === s);
    const unitArb = fc.record({ name: word, number: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 99 }).map(String)) });
    fc.assert(
      fc.property(fc.uniqueArray(word.filter((s) => s !== ''), { maxLength: 3 }), fc.array(fc.tuple(fc.nat(3), unitArb), { maxLength: 6 }), (names, units) => {
        const kitTeams = [...names, ''].map((name, t) => ({
          position: t,
          name,
          units: units.filter(([team]) => team % (names.length + 1) === t).map(([, unit], u) => ({ ...unit, position: u, size: 'S', sku: '', cartPrice: null, taxExempt: false, linePosition: 0 })),
        }));
        const line = { position: 0 } as LineDraft;
        const values = rosterValues({ teams: kitTeams } as KitDraft, line, { kitId: 'AbCdEfGhIjKlMnOpQrStUv', kitUrl: 'https://kits.test/k/1' });
        const read = orderedRoster(described('Roster', values));
        const known = new Set(names);
        const expected = kitTeams.flatMap((team) => [...team.units].sort((a, b) => Number(a.number === '') - Number(b.number === '') || Number(a.number) - Number(b.number) || a.position - b.position).map((unit) => ({ team: team.name, number: unit.number, name: unit.name })));
        // A name alone that is also a team's name cannot be told from that team: kitbridge's own format, not a reading error.
        fc.pre(!expected.some((e) => e.team === '' && e.number === '' && known.has(e.name)));
        expect(read.values.map((value) => readRosterValue(value, known))).toEqual(expected);
      }),
    );
  });
});
