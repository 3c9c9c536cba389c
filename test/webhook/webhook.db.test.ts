import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app';
import { aDelivery, aRosterDelivery, checkoutOf, sampleDelivery } from '../factories/delivery';
import { makePng, pngOf } from '../factories/png';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('a delivery of the documentation sample', () => {
  let response: Awaited<ReturnType<TestApp['deliver']>>;
  beforeAll(async () => {
    response = await app.deliver(sampleDelivery());
  });

  it('answers 200 with one line per size, priced from UnitPrice', () => {
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Category Name Product Name Design Name. (x 5)',
      quantity: 5,
      total: '597.50',
      lines: [
        { size: '128cm', quantity: 3, unitPrice: '119.50', taxExempt: false, sku: '' },
        { size: '152cm', quantity: 2, unitPrice: '119.50', taxExempt: true, sku: '' },
      ],
    });
    expect(response.body.currency).toBeUndefined();
  });

  it('warns that its sizes (3 + 2) do not add up to Quantity 2 and its Price is not the sum of the lines', () => {
    expect(response.body.warnings).toEqual(
      expect.arrayContaining([
        'The lines add up to 5 garments but Quantity is 2; the cart follows the lines.',
        'The lines add up to 597.50 but Price is 239.00; the cart follows the lines.',
      ]),
    );
  });

  it('stores the team and its unit, linked to the 128cm line', async () => {
    const [unit] = await app.db('kit_units as u').join('kit_teams as t', 't.id', 'u.team_id').select('u.*', 't.name as team');
    const line = await app.db('kit_lines').where({ size: '128cm' }).first();
    expect(unit).toMatchObject({ team: 'Team name', name: 'Name 1', number: '1', size: '128cm', tax_exempt: false });
    expect(String(unit.line_id)).toBe(String(line.id));
    expect(String(line.unit_price)).toBe('119.50');
  });

  it('writes the image to disk with exactly the decoded bytes, served as image/png', async () => {
    const decoded = Buffer.from(checkoutOf(sampleDelivery()).MainImage, 'base64');
    const name = path.basename(new URL(response.body.imageUrl).pathname);
    expect(await fs.readFile(path.join(app.imageDir, name))).toEqual(decoded);
    const image = await app.http().get(new URL(response.body.imageUrl).pathname);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.headers['cache-control']).toContain('immutable');
    expect(Buffer.from(image.body)).toEqual(decoded);
  });

  it('links to a product page that lists the lines and the roster', async () => {
    const page = await app.http().get(new URL(response.body.url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('Name 1');
    expect(page.text).toContain('119.50');
    expect(page.text).toContain(`id="line-${response.body.lines[0].id}"`);
  });
});

it('stores a roster of several teams with 25+ units each and non-ASCII names', async () => {
  const delivery = aRosterDelivery(4, 27);
  const response = await app.deliver(delivery);
  expect(response.status).toBe(200);
  expect(response.body.quantity).toBe(108);
  expect(response.body.warnings).toEqual([]);
  const units = await app
    .db('kit_units as u')
    .join('kit_teams as t', 't.id', 'u.team_id')
    .join('kit_lines as l', 'l.id', 'u.line_id')
    .where('t.kit_id', response.body.id)
    .orderBy([{ column: 't.position' }, { column: 'u.position' }])
    .select('t.name as team', 'u.name', 'u.number', 'u.size', 'l.size as line_size');
  const expected = checkoutOf(delivery).TeamDetails.Teams.flatMap((team: any) =>
    team.Units.map((unit: any) => ({ team: team.Name, name: unit.Name, number: unit.Number, size: unit.Size, line_size: unit.Size })),
  );
  expect(units).toEqual(expected);
  const page = await app.http().get(`/products/${response.body.id}`);
  expect(page.text).toContain('Team 4 — Ølstykke FC');
  expect(page.text).toContain('山田');
});

it("prices a line at its size's CartPrice when there is one, and sums the total exactly", async () => {
  const response = await app.deliver(
    aDelivery({
      UnitPrice: 10.1,
      Price: 30.3 + 2 * 12.35,
      sizes: [
        { Name: 'S', Quantity: 3 },
        { Name: 'XXL', Quantity: 2, CartPrice: 12.35, Sku: 'SHIRT-XXL', TaxExempt: true },
      ],
    }),
  );
  expect(response.status).toBe(200);
  expect(response.body.lines).toMatchObject([
    { size: 'S', unitPrice: '10.10', sku: '' },
    { size: 'XXL', unitPrice: '12.35', sku: 'SHIRT-XXL', taxExempt: true },
  ]);
  expect(response.body.total).toBe('55.00');
  expect(response.body.warnings).toEqual([]);
});

it('derives lines from the roster when Sizes is empty, and makes one line of Quantity when there is neither', async () => {
  const fromRoster = await app.deliver(
    aDelivery({
      sizes: [],
      Quantity: 3,
      Price: 60,
      teams: [{ Name: 'A', Units: [{ Name: 'x', Number: '1', Size: 'M' }, { Name: 'y', Number: '2', Size: 'L' }, { Name: 'z', Number: '3', Size: 'M' }] }],
    }),
  );
  expect(fromRoster.body.lines).toMatchObject([{ size: 'M', quantity: 2 }, { size: 'L', quantity: 1 }]);
  expect(fromRoster.body.warnings).toEqual(['Sizes is empty; lines were derived from the team roster by size.']);

  const single = await app.deliver(aDelivery({ sizes: [], Quantity: 4, Price: 80 }));
  expect(single.body.lines).toMatchObject([{ size: '', quantity: 4, unitPrice: '20.00' }]);
  expect(single.body.warnings).toEqual([]);
});

it('warns about a unit whose size has no line and stores it unlinked', async () => {
  const response = await app.deliver(
    aDelivery({ sizes: [{ Name: 'M', Quantity: 1 }], teams: [{ Name: 'A', Units: [{ Name: 'Kim', Number: '9', Size: 'XL' }] }] }),
  );
  expect(response.status).toBe(200);
  expect(response.body.warnings).toContain('Kim #9 of team "A" has size "XL", which no line has; it is not linked to a line.');
  const unit = await app.db('kit_units as u').join('kit_teams as t', 't.id', 'u.team_id').where('t.kit_id', response.body.id).first('u.line_id');
  expect(unit.line_id).toBeNull();
});

it('accepts MainImage with a data:image/png;base64, prefix', async () => {
  const png = makePng(40, 30);
  const delivery = aDelivery({ MainImage: `data:image/png;base64,${png.toString('base64')}` });
  const response = await app.deliver(delivery);
  expect(response.status).toBe(200);
  const name = path.basename(new URL(response.body.imageUrl).pathname);
  expect(await fs.readFile(path.join(app.imageDir, name))).toEqual(png);
});

it.each([
  ['an interlaced RGBA PNG written by libpng', readFileSync(path.join(__dirname, '../fixtures/images/libpng-pngtest-adam7-rgba.png'))],
  ['a 16-bit interlaced grey PNG', pngOf({ width: 33, height: 17, colourType: 0, bitDepth: 16, interlaced: true })],
  ['a 2-bit palette PNG', pngOf({ width: 33, height: 17, colourType: 3, bitDepth: 2 })],
])('stores %s with exactly its bytes', async (_, png) => {
  const response = await app.deliver(aDelivery({ MainImage: png.toString('base64') }));
  expect(response.status).toBe(200);
  const name = path.basename(new URL(response.body.imageUrl).pathname);
  expect(await fs.readFile(path.join(app.imageDir, name))).toEqual(png);
});

it.each([['absent', undefined], ['null', null], ['empty', '']])('accepts MainImage %s and answers imageUrl null', async (_, value) => {
  const delivery = aDelivery();
  if (value === undefined) delete checkoutOf(delivery).MainImage;
  else checkoutOf(delivery).MainImage = value;
  const before = (await app.footprint()).files;
  const response = await app.deliver(delivery);
  expect(response.status).toBe(200);
  expect(response.body.imageUrl).toBeNull();
  expect((await app.footprint()).files).toEqual(before);
});

it('accepts a body declared as application/json; charset=UTF-8', async () => {
  const response = await app.http().post(app.webhookPath()).set('Content-Type', 'application/json; charset=UTF-8').send(JSON.stringify(aDelivery()));
  expect(response.status).toBe(200);
});

it('ignores unknown fields such as BasketRawValues', async () => {
  const delivery = aDelivery();
  delivery.SingleItemCheckout.BasketRawValues = { anything: [1, 2, 3] };
  delivery.SomethingNew = true;
  expect((await app.deliver(delivery)).status).toBe(200);
});

it('strips scripts, event handlers and javascript: URLs from the Kit Builder HTML', async () => {
  const response = await app.deliver(
    aDelivery({
      Html: '<p onclick="steal()">Kit<script>steal()</script><a href="javascript:steal()">x</a><img src="https://cdn.example/a.png" onerror="steal()"></p>',
    }),
  );
  const kit = await app.db('kits').where({ id: response.body.id }).first('html');
  expect(kit.html).toBe('<p>Kit<a>x</a><img src="https://cdn.example/a.png" /></p>');
});
