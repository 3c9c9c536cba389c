import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';
import { kitIdCell, signIn, type ConsoleSession } from '../helpers/console';
import { placeOrder, startShopApp } from '../helpers/nopcommerce';

const ADMIN_TOKEN = generateToken();

describe('a kit’s print sheet and CSV', () => {
  let app: TestApp;
  let session: ConsoleSession;
  let kitId: string;
  beforeAll(async () => {
    app = await startTestApp({ adminToken: ADMIN_TOKEN });
    session = await signIn(app, ADMIN_TOKEN);
    const delivery = aDelivery({
      Name: 'Ølstykke FC, "Home" Shirt Å',
      sizes: [{ Name: '128cm', Quantity: 3, Sku: 'HS-128' }, { Name: '152cm', Quantity: 2, Sku: 'HS-152' }],
      teams: [
        { Name: 'Drenge', Units: [{ Name: 'Søren Ærøe', Number: '10', Size: '128cm' }, { Name: '=cmd|"/c calc"!A1', Number: '2', Size: '128cm' }] },
        { Name: 'Piger', Units: [{ Name: 'Hansen, Åse\nLund', Number: '7', Size: '152cm' }] },
      ],
    });
    kitId = (await app.deliver(delivery).expect(200)).body.id;
  });
  afterAll(() => app.close());

  it('has one printed section per size, each with its count, adding up to the kit', async () => {
    const page = await session.get(`/console/kits/${kitId}/sheet`);
    expect(page.status).toBe(200);
    const sections = page.text.split('<section class="sheet">').slice(1);
    expect(sections.map((s) => /<h2>(.*?)<\/h2>/.exec(s)![1])).toEqual(['Size 128cm', 'Size 152cm']);
    expect(sections.map((s) => /<tfoot><tr><th colspan="2">Garments<\/th><th class="num">(\d+)/.exec(s)![1])).toEqual(['3', '2']);
    expect(sections[0]).toMatch(/<td class="no">2<\/td>[\s\S]*<td class="no">10<\/td>[\s\S]*1 × without name or number/);
    expect(page.text).toContain('5 garments on 2 pages.');
  });

  it('has one printed section per team when asked', async () => {
    const page = await session.get(`/console/kits/${kitId}/sheet?by=team`);
    const titles = [...page.text.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
    expect(titles).toEqual(['Team Drenge', 'Team Piger', 'Team Without a roster entry']);
    expect((await session.get(`/console/kits/${kitId}/sheet?by=colour`)).status).toBe(400);
  });

  it('downloads as CSV: UTF-8 with BOM, a row per garment, quoted, formulas neutralised, a sensible file name', async () => {
    const csv = await session.get(`/console/kits/${kitId}/sheet.csv`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="kit-Olstykke-FC-Home-Shirt-A.csv"; filename*=UTF-8''kit-%C3%98lstykke%20FC%2C%20%22Home%22%20Shirt%20%C3%85.csv`,
    );
    const bytes = csv.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const name = '"Ølstykke FC, ""Home"" Shirt Å"';
    const id = kitIdCell(kitId);
    expect(text).toBe(
      [
        'kit id,kit name,team,size,number,name,sku',
        `${id},${name},Drenge,128cm,2,"'=cmd|""/c calc""!A1",HS-128`,
        `${id},${name},Drenge,128cm,10,Søren Ærøe,HS-128`,
        `${id},${name},,128cm,,,HS-128`,
        `${id},${name},Piger,152cm,7,"Hansen, Åse\nLund",HS-152`,
        `${id},${name},,152cm,,,HS-152`,
        '',
      ].join('\r\n'),
    );
  });
});

describe('with the nopCommerce adapter', () => {
  let shop: Awaited<ReturnType<typeof startShopApp>>;
  let session: ConsoleSession;
  beforeAll(async () => {
    shop = await startShopApp({ app: { adminToken: ADMIN_TOKEN } });
    session = await signIn(shop.app, ADMIN_TOKEN);
  });
  afterAll(() => shop.close());

  it('shows each line’s nopCommerce product, linked to the shop’s admin', async () => {
    const link = (await shop.app.deliver(aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }] })).expect(200)).body;
    const page = await session.get(`/console/kits/${link.id}`);
    const productId = link.lines[0].nopProductId;
    expect(page.text).toContain(`<a href="http://shop.test/Admin/Product/Edit/${productId}">${productId}</a>`);
    expect(page.text).toContain('None of this kit\'s products has been ordered yet.');
  });

  it('shows the orders a kit is in, and prints the sheet of all kits of one order', async () => {
    const first = (await shop.app.deliver(aDelivery({ Name: 'Kit one', sizes: [{ Name: 'S', Quantity: 2 }] })).expect(200)).body;
    const second = (await shop.app.deliver(aDelivery({ Name: 'Kit two', sizes: [{ Name: 'L', Quantity: 1 }] })).expect(200)).body;
    // An order as nopCommerce's checkout places it: its number is the shop's order number mask, "{ID}" at install.
    const orderId = await placeOrder(shop.nop, [
      { productId: first.lines[0].nopProductId, quantity: 2 },
      { productId: second.lines[0].nopProductId, quantity: 1 },
    ]);

    const page = await session.get(`/console/kits/${first.id}`);
    expect(page.text).toContain(`<td data-label="Order">${orderId}</td>`);
    expect(page.text).toContain(`href="/console/orders/${orderId}/sheet"`);

    const sheet = await session.get(`/console/orders/${orderId}/sheet`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain(`<h1>Print sheet: Order ${orderId}</h1>`);
    expect([...sheet.text.matchAll(/<p><strong>(Kit one|Kit two)<\/strong>/g)].map((m) => m[1]).sort()).toEqual(['Kit one', 'Kit two']);
    expect(sheet.text).toContain('3 garments on 2 pages.');
    const csv = await session.get(`/console/orders/${orderId}/sheet.csv`);
    expect(csv.headers['content-disposition']).toContain(`filename="order-${orderId}.csv"`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(4);
    expect((await session.get(`/console/orders/${orderId + 1}/sheet`)).status).toBe(404);
  });

  it('reports the shop database’s connection and version on the health page', async () => {
    const page = await session.get('/console/health');
    expect(page.text).toContain('<span class="ok">connected</span>, nopCommerce 4.90');
  });

  it('shows the tax settings in force on the health page, as the shop changes them, and when deliveries are refused', async () => {
    await shop.shop('Setting').insert({ Name: 'tax.taxprovider.fixedorbycountrystatezip.taxcategoryid1', Value: '25', StoreId: 0 });
    await shop.shop('Setting').where({ Name: 'taxsettings.pricesincludetax' }).update({ Value: 'True' });
    try {
      const page = (await session.get('/console/health')).text;
      expect(page).toContain(
        "Tax: Kit Builder's prices excluding tax (<code>KITBUILDER_PRICES_INCLUDE_TAX</code>); the shop's prices are entered including tax, shown excluding tax; fixed rate 25 % for tax category 1; rounding during calculation off.",
      );
      expect(page).toContain("<span class=\"ok\">Prices are converted at 25 %, so that the price excluding tax is Kit Builder&#39;s to the cent.</span>");
      await shop.shop('Setting').insert({ Name: 'shoppingcartsettings.roundpricesduringcalculation', Value: 'True', StoreId: 0 });
      expect((await session.get('/console/health')).text).toMatch(/<span class="error">Deliveries are refused: .*Round prices during calculation/);
    } finally {
      await shop.shop('Setting').where({ Name: 'taxsettings.pricesincludetax' }).update({ Value: 'False' });
      await shop.shop('Setting').whereIn('Name', ['tax.taxprovider.fixedorbycountrystatezip.taxcategoryid1', 'shoppingcartsettings.roundpricesduringcalculation']).delete();
    }
  });
});

it('says on the health page, and for an order’s sheet (503), when the shop database cannot be reached', async () => {
  const shop = await startShopApp({ app: { adminToken: ADMIN_TOKEN }, settings: { databaseUrl: 'postgres://nobody@127.0.0.1:9/none' } });
  try {
    const session = await signIn(shop.app, ADMIN_TOKEN);
    expect((await session.get('/console/health')).text).toMatch(/nopCommerce<\/dt><dd><span class="error">cannot be reached: /);
    const sheet = await session.get('/console/orders/1/sheet');
    expect(sheet.status).toBe(503);
    expect(sheet.text).toContain('nopCommerce');
  } finally {
    await shop.close();
  }
});
