import { deflateSync } from 'node:zlib';
import { startTestApp, type TestApp } from '../helpers/app';
import { aDelivery, checkoutOf } from '../factories/delivery';
import { makePng, makePngClaiming, pngWithData, scanlines } from '../factories/png';

let app: TestApp;
let empty: Awaited<ReturnType<TestApp['footprint']>>;
beforeAll(async () => {
  app = await startTestApp({ maxBodyBytes: 256 * 1024, maxImageBytes: 64 * 1024 });
  empty = await app.footprint();
});
afterAll(() => app.close());
afterEach(async () => {
  // Every rejection leaves nothing behind: no row, no image, no temp file.
  expect(await app.footprint()).toEqual(empty);
});

const expectProblem = (response: { status: number; headers: Record<string, string>; body: any }, status: number, code: string) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, code, type: `urn:kitbridge:problem:${code}` });
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+/);
};

const withImage = (image: string) => aDelivery({ MainImage: image });
const shape = { width: 20, height: 10 };
const rows = scanlines(shape);

it('answers 404 with no hint for an unknown token, before reading the body', async () => {
  const response = await app.deliver(aDelivery(), 'x'.repeat(32));
  expectProblem(response, 404, 'not-found');
  const unknownPath = await app.http().post('/no/such/path');
  expect(response.body.title).toBe(unknownPath.body.title);
});

it('answers 415 when the body is not application/json', async () => {
  const response = await app.http().post(app.webhookPath()).set('Content-Type', 'text/plain').send(JSON.stringify(aDelivery()));
  expectProblem(response, 415, 'unsupported-media-type');
  const form = await app.http().post(app.webhookPath()).type('form').send({ a: '1' });
  expectProblem(form, 415, 'unsupported-media-type');
});

it('answers 415 for a compressed body or a charset other than UTF-8, with what to send instead', async () => {
  const body = JSON.stringify(aDelivery());
  const gzipped = await app.http().post(app.webhookPath()).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(body);
  expectProblem(gzipped, 415, 'unsupported-media-type');
  expect(gzipped.body.detail).toMatch(/uncompressed/);
  const latin1 = await app.http().post(app.webhookPath()).set('Content-Type', 'application/json; charset=iso-8859-1').send(body);
  expectProblem(latin1, 415, 'unsupported-media-type');
  expect(latin1.body.detail).toMatch(/UTF-8/);
});

it('answers 400 when the body is JSON with a __proto__ key', async () => {
  const body = JSON.stringify(aDelivery()).replace('{', '{"__proto__": {"polluted": true},');
  expectProblem(await app.deliver(body), 400, 'invalid-json');
  expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
});

it('answers 400 when the body is not parseable JSON', async () => {
  expectProblem(await app.deliver('{"PublicWebhookId": '), 400, 'invalid-json');
  expectProblem(await app.deliver(''), 400, 'invalid-json');
});

it('answers 413 when the body is larger than the limit', async () => {
  const delivery = aDelivery({ Html: 'x'.repeat(300 * 1024) });
  expectProblem(await app.deliver(delivery), 413, 'payload-too-large');
});

it('answers 400 listing every failing field path', async () => {
  const delivery = aDelivery();
  delete delivery.PublicWebhookId;
  checkoutOf(delivery).Quantity = 1.5;
  checkoutOf(delivery).Price = -1;
  checkoutOf(delivery).TeamDetails.Sizes[0].Quantity = 'two';
  checkoutOf(delivery).TeamDetails.Sizes.push({ Name: 'L', Quantity: 1, TaxExempt: 'yes' });
  const response = await app.deliver(delivery);
  expectProblem(response, 400, 'invalid-payload');
  expect(response.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
    'PublicWebhookId',
    'SingleItemCheckout.Price',
    'SingleItemCheckout.Quantity',
    'SingleItemCheckout.TeamDetails.Sizes.0.Quantity',
    'SingleItemCheckout.TeamDetails.Sizes.1.TaxExempt',
  ]);
});

it.each([
  ['a JSON array', []],
  ['a string with a NUL character', aDelivery({ Name: 'Kit\u0000' })],
  ['a lone surrogate', aDelivery({ DesignName: 'bad \ud800 text' })],
  ['a missing SingleItemCheckout', { PublicWebhookId: 'x' }],
  ['a zero Quantity', aDelivery({ Quantity: 0 })],
])('answers 400 for %s', async (_, body) => {
  expectProblem(await app.deliver(body), 400, 'invalid-payload');
});

// "\u202E19" prints as 91: every character that reorders text, refused wherever the sheets print the text.
const BIDI_CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];
const roster = (unit: { Name?: string; Number?: string }, team = 'Drenge') =>
  aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }], teams: [{ Name: team, Units: [{ Name: 'Bo', Number: '7', Size: 'S', ...unit }] }] });
it.each<[string, ReturnType<typeof aDelivery>, string]>([
  ...BIDI_CONTROLS.map((c): [string, ReturnType<typeof aDelivery>, string] => [
    `a number with U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    roster({ Number: `${c}19` }),
    'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Number',
  ]),
  ['a player’s name', roster({ Name: 'Bo \u202Eneslo' }), 'SingleItemCheckout.TeamDetails.Teams.0.Units.0.Name'],
  ['a team’s name', roster({}, 'U12 \u2067Hold'), 'SingleItemCheckout.TeamDetails.Teams.0.Name'],
  ['a size', aDelivery({ sizes: [{ Name: '\u200F128', Quantity: 1 }] }), 'SingleItemCheckout.TeamDetails.Sizes.0.Name'],
  ['the kit’s name', aDelivery({ Name: 'Home \u202D' }), 'SingleItemCheckout.Name'],
])('answers 400 naming the field for a bidirectional control character in %s', async (_, body, path) => {
  const response = await app.deliver(body);
  expectProblem(response, 400, 'invalid-payload');
  expect(response.body.errors).toEqual([{ path, message: expect.stringMatching(/direction/) }]);
});

it.each([
  ['invalid base64', withImage('iVBORw0KGgo$$$$')],
  ['base64 with non-zero padding bits', withImage('iVBORw0KGgp=')],
  ['bytes that are not a PNG', withImage(Buffer.from('GIF89a not a png at all, just text padding it out').toString('base64'))],
  ['a truncated PNG', withImage(makePng(8, 8).subarray(0, 60).toString('base64'))],
  ['a PNG header claiming 100000x100000 pixels', withImage(makePngClaiming(100_000, 100_000).toString('base64'))],
  ['an image larger than the image limit', withImage(makePng(150, 150, { noise: true }).toString('base64'))],
  ['image data that is not a zlib stream', withImage(pngWithData(shape, Buffer.from('not deflated at all')).toString('base64'))],
  ['image data that inflates to less than its header implies', withImage(pngWithData(shape, deflateSync(rows.subarray(0, -1))).toString('base64'))],
  ['image data that inflates to more than its header implies', withImage(pngWithData(shape, deflateSync(Buffer.concat([rows, rows]))).toString('base64'))],
  ['bytes after the end of its zlib stream', withImage(pngWithData(shape, Buffer.concat([deflateSync(rows), Buffer.from('trailing')])).toString('base64'))],
])('answers 400 for MainImage with %s', async (_, delivery) => {
  const response = await app.deliver(delivery);
  expectProblem(response, 400, 'invalid-image');
  expect(response.body.errors[0].path).toBe('SingleItemCheckout.MainImage');
});

it('answers 400 naming the pixel count and the limit for a 10000x10000 16-bit header over a few bytes (a decompression bomb)', async () => {
  const response = await app.deliver(withImage(makePngClaiming(10_000, 10_000, { bitDepth: 16, colourType: 6 }).toString('base64')));
  expectProblem(response, 400, 'invalid-image');
  expect(response.body.detail).toBe('SingleItemCheckout.MainImage has 100000000 pixels (10000x10000); at most 40000000 are accepted.');
});
