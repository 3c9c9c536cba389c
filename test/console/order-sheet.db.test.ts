import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { kitIdCell, signIn, type ConsoleSession } from '../helpers/console';
import { orderedLine } from '../helpers/nop-cart';
import { NOP_ENGINES, placeOrder, startShopApp } from '../helpers/nopcommerce';

/**
 * An order's print sheet follows the order: its OrderItem rows, their quantities and the roster each carries in
 * AttributeDescription, written here as nopCommerce's checkout writes them (catalog add-to-cart, then
 * OrderProcessingService formatting the attributes), never the whole kit the products were made from.
 */

const ADMIN_TOKEN = generateToken();

const sections = (page: string) => page.split('<section class="sheet">').slice(1);
const titles = (page: string) => sections(page).map((s) => /<h2>(.*?)<\/h2>/.exec(s)![1]);
const footCounts = (page: string) => sections(page).map((s) => Number(/<tfoot>.*?<th class="num">(\d+)/s.exec(s)![1]));

describe.each(NOP_ENGINES)('an order’s print sheet, on a %s shop', (engine) => {
  let shop: Awaited<ReturnType<typeof startShopApp>>;
  let session: ConsoleSession;
  let home: { id: string; lines: Array<{ size: string; nopProductId: number }> };
  let away: { id: string; lines: Array<{ size: string; nopProductId: number }> };
  const product = (kit: typeof home, size: string) => kit.lines.find((line) => line.size === size)!.nopProductId;

  beforeAll(async () => {
    shop = await startShopApp({ engine, app: { adminToken: ADMIN_TOKEN } });
    session = await signIn(shop.app, ADMIN_TOKEN);
    const kit = async (delivery: ReturnType<typeof aDelivery>) => (await shop.app.deliver(delivery).expect(200)).body;
    const units = (rows: string[][]) => rows.map(([Name, Number, Size]) => ({ Name: Name!, Number: Number!, Size: Size! }));
    home = await kit(
      aDelivery({
        Name: 'Home Shirt',
        sizes: [{ Name: 'S', Quantity: 2, Sku: 'H-S' }, { Name: 'M', Quantity: 1, Sku: 'H-M' }, { Name: 'L', Quantity: 3, Sku: 'H-L' }],
        teams: [{ Name: 'Hold A', Units: units([['Søren Ærøe', '7', 'S'], ['Åse', '10', 'L'], ['Bo', '3', 'L']]) }],
      }),
    );
    away = await kit(
      aDelivery({
        Name: 'Away Shirt',
        sizes: [{ Name: 'XL', Quantity: 2, Sku: 'A-XL' }],
        teams: [{ Name: 'Piger', Units: units([['Ida & "Co" <b>', '9', 'XL']]) }],
      }),
    );
  }, 60_000);
  afterAll(() => shop.close());

  it('prints three garments for an order of three products, one garment each: only the ordered sizes, counts adding up', async () => {
    const orderId = await placeOrder(shop.nop, [
      await orderedLine(shop.shop, product(home, 'S'), 1),
      await orderedLine(shop.shop, product(home, 'M'), 1),
      await orderedLine(shop.shop, product(away, 'XL'), 1),
    ]);
    const sheet = await session.get(`/console/orders/${orderId}/sheet`);
    expect(sheet.status).toBe(200);
    expect(titles(sheet.text)).toEqual(['Size S', 'Size M', 'Size XL']);
    expect(footCounts(sheet.text)).toEqual([1, 1, 1]);
    expect(sheet.text).toContain('3 garments on 3 pages.');
    expect(sheet.text).not.toContain('the order has');
    const [s, m, xl] = sections(sheet.text);
    expect(s).toMatch(/<td class="no">7<\/td><td>Søren Ærøe<\/td><td>Hold A<\/td>/);
    expect(m).toContain('1 × without name or number');
    // Decoded from nopCommerce's HTML once, and escaped once for the sheet.
    expect(xl).toMatch(/<td class="no">9<\/td><td>Ida &amp; &quot;Co&quot; &lt;b&gt;<\/td><td>Piger<\/td>/);

    const byTeam = await session.get(`/console/orders/${orderId}/sheet?by=team`);
    expect(titles(byTeam.text)).toEqual(['Team Hold A', 'Team Without a roster entry', 'Team Piger']);
    expect(footCounts(byTeam.text)).toEqual([1, 1, 1]);
    expect(byTeam.text).toContain('3 garments on 3 pages.');
  });

  it('downloads the order’s garments as CSV: a row per ordered garment, with the order number', async () => {
    const orderId = await placeOrder(shop.nop, [
      await orderedLine(shop.shop, product(home, 'S'), 2),
      await orderedLine(shop.shop, product(away, 'XL'), 1),
    ]);
    const csv = await session.get(`/console/orders/${orderId}/sheet.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')).toEqual([
      'order,kit id,kit name,team,size,number,name,sku',
      `${orderId},${kitIdCell(home.id)},Home Shirt,Hold A,S,7,Søren Ærøe,H-S`,
      `${orderId},${kitIdCell(home.id)},Home Shirt,,S,,,H-S`,
      `${orderId},${kitIdCell(away.id)},Away Shirt,Piger,XL,9,"Ida & ""Co"" <b>",A-XL`,
      '',
    ]);
  });

  it('prints every name a line’s roster carries when the line orders fewer, and says so', async () => {
    const orderId = await placeOrder(shop.nop, [await orderedLine(shop.shop, product(home, 'L'), 1)]);
    const sheet = await session.get(`/console/orders/${orderId}/sheet`);
    expect(titles(sheet.text)).toEqual(['Size L']);
    expect(footCounts(sheet.text)).toEqual([2]);
    expect(sheet.text).toContain('2 garments on 1 page; <strong>the order has 1</strong>');
    expect(sheet.text).toContain(`Order ${orderId}: the roster names 2 garments of this size but the line orders 1.`);
  });

  it('shows what it cannot read, other attributes and hidden direction controls instead of dropping them', async () => {
    const kitRef = `Roster: Kit ${home.id}: http://kits.test/k/${home.id}`;
    const orderId = await placeOrder(shop.nop, [
      {
        productId: product(home, 'S'),
        quantity: 3,
        attributeDescription: [
          'Print on back: yes',
          kitRef,
          'Roster: Hold A &#8211; #&#8238;19 &#8211; S&#248;ren',
          'Roster: Hold B &#8211; Bo &#8211; extra',
        ].join('<br />'),
      },
    ]);
    const sheet = await session.get(`/console/orders/${orderId}/sheet`);
    expect(footCounts(sheet.text)).toEqual([3]);
    expect(sheet.text).toContain('<td class="no">⟨U+202E⟩19</td><td>Søren</td>');
    expect(sheet.text).toContain('Hold B – Bo – extra');
    expect(sheet.text).toMatch(/could not be read as team – #number – name/);
    expect(sheet.text).toContain('also says: Print on back: yes');
    const byTeam = await session.get(`/console/orders/${orderId}/sheet?by=team`);
    expect(byTeam.text).toContain('<td class="no">⟨U+202E⟩19</td>');
    expect(byTeam.text).not.toContain('\u202E');
    const csv = await session.get(`/console/orders/${orderId}/sheet.csv`);
    expect(csv.text).toContain(',Hold A,S,⟨U+202E⟩19,Søren,H-S');
    expect(csv.text).not.toContain('\u202E');
  });
});
