import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

// Sent as the bytes given: superagent would serialize a Buffer as JSON.
const post = (body: Buffer) =>
  app.http().post(app.webhookPath()).set('Content-Type', 'application/json').serialize((bytes: Buffer) => bytes as never).send(body);

/** A delivery whose Name holds `bytes` between "Team " and " kit", as raw bytes in the body. */
function withNameBytes(bytes: number[]): Buffer {
  const [head, tail] = JSON.stringify(aDelivery({ Name: '@@NAME@@' })).split('@@NAME@@') as [string, string];
  return Buffer.concat([Buffer.from(`${head}Team `), Buffer.from(bytes), Buffer.from(` kit${tail}`)]);
}

describe('a body that is not UTF-8', () => {
  const NOT_UTF8: Array<[string, Buffer]> = [
    ['a lone continuation byte', withNameBytes([0x80])],
    ['a lead byte with no continuation', withNameBytes([0xc3, 0x20])],
    ['an overlong "/" (2 bytes)', withNameBytes([0xc0, 0xaf])],
    ['an overlong "/" (3 bytes)', withNameBytes([0xe0, 0x80, 0xaf])],
    ['a high surrogate half encoded as UTF-8', withNameBytes([0xed, 0xa0, 0x80])],
    ['a low surrogate half encoded as UTF-8', withNameBytes([0xed, 0xbf, 0xbf])],
    ['a code point beyond U+10FFFF', withNameBytes([0xf4, 0x90, 0x80, 0x80])],
    ['bytes that never occur in UTF-8', withNameBytes([0xfe, 0xff])],
    ['Latin-1 text ("Ølstykke" as ISO 8859-1)', withNameBytes([...Buffer.from('Ølstykke', 'latin1')])],
    ['a sequence cut short at the end of the body', Buffer.concat([Buffer.from(JSON.stringify(aDelivery())), Buffer.from([0xe2, 0x82])])],
  ];

  it.each(NOT_UTF8)('is refused with 400 invalid-encoding and nothing stored: %s', async (_, body) => {
    const before = await app.footprint();
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'invalid-encoding', detail: expect.stringContaining('UTF-8') });
    expect(await app.footprint()).toEqual(before);
    const logged = await app.db('deliveries').orderBy('id', 'desc').first('outcome', 'status', 'body');
    expect(logged).toEqual({ outcome: 'rejected', status: 400, body: null });
  });
});

// RFC 8259 8.1: senders must not add a byte order mark, receivers may ignore one. .NET writers add it.
it('reads a body past a leading byte order mark (and only there); the same bytes again are the same kit', async () => {
  const json = Buffer.from(JSON.stringify(aDelivery({ Name: 'Ølstykke FC 🏆' })));
  const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
  const first = await post(body);
  expect(first.status).toBe(200);
  expect(first.body.name).toBe('Ølstykke FC 🏆');
  expect((await post(body)).body.id).toBe(first.body.id);
  const inside = await post(Buffer.concat([Buffer.from(' '), body]));
  expect(inside.body.code).toBe('invalid-json');
});
