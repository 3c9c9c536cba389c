import { MAX_TEXT } from '../../src/kits/bounds';
import { createHtmlSanitizer, type HtmlSanitizer } from '../../src/webhook/sanitizer';
import { aDelivery } from '../factories/delivery';
import { HOSTILE_HTML } from '../factories/hostile-html';
import { makePng } from '../factories/png';
import { startTestApp, type TestApp } from '../helpers/app';

/**
 * Html at the limits: the longest and costliest Html a delivery may carry is sanitized without holding up
 * other requests, and longer or deeper Html is refused, naming the field.
 */
let app: TestApp;
/** what happened, in order: the sanitizer's start and end of each Html, and the test's own requests */
let events: string[] = [];
let onSanitizing = () => {};

// The app's own sanitizer, watched.
const sanitizer = createHtmlSanitizer();
const watched: HtmlSanitizer = {
  async sanitize(html) {
    events.push('sanitizing');
    onSanitizing();
    const result = await sanitizer.sanitize(html);
    events.push('sanitized');
    return result;
  },
  close: () => sanitizer.close(),
};

beforeAll(async () => {
  app = await startTestApp({ html: watched });
});
afterAll(async () => {
  await watched.close();
  await app.close();
});
beforeEach(() => {
  events = [];
});

const expectHtmlRefused = (response: { status: number; body: any }, message: string | RegExp) => {
  expect(response.status).toBe(400);
  expect(response.body).toMatchObject({ code: 'invalid-payload' });
  expect(response.body.errors).toEqual([{ path: 'SingleItemCheckout.Html', message: expect.stringMatching(message) }]);
};

it('answers /healthz while the costliest Html within the limits is being sanitized', async () => {
  // the slowest shape to sanitize that is not refused (bench/RESULTS.md), as long as allowed
  const delivery = aDelivery({ Html: HOSTILE_HTML['lone angle brackets'](MAX_TEXT.html) });
  const sanitizing = new Promise<void>((resolve) => (onSanitizing = resolve));
  const delivered = app.deliver(delivery).then((response) => (events.push('delivered'), response));
  await sanitizing;
  const health = await app.http().get('/healthz');
  events.push('healthz answered');

  expect(health.status).toBe(200);
  expect((await delivered).status).toBe(200);
  expect(events).toEqual(['sanitizing', 'healthz answered', 'sanitized', 'delivered']);
});

it('stores 1 MiB of Html with an embedded image, sanitized', async () => {
  const image = `<img src="data:image/png;base64,${makePng(300, 300, { noise: true }).toString('base64')}" alt="kit" />`;
  const form = '<table><tr><th>Club</th><td>Ølstykke FC</td></tr></table>';
  const padding = 'x'.repeat(1024 * 1024 - image.length - form.length - '<p></p><script>steal()</script>'.length);
  const response = await app.deliver(aDelivery({ Html: `${form}${image}<p>${padding}</p><script>steal()</script>` }));

  expect(response.status).toBe(200);
  const kit = await app.db('kits').where({ id: response.body.id }).first('html');
  expect(kit.html).toBe(`${form}${image}<p>${padding}</p>`);
});

it('refuses Html longer than the limit with 400 naming the field, and stores nothing', async () => {
  const before = await app.footprint();
  const response = await app.deliver(aDelivery({ Html: 'x'.repeat(MAX_TEXT.html + 1) }));
  expectHtmlRefused(response, /1048576/);
  expect(events).toEqual([]);
  expect(await app.footprint()).toEqual(before);
});

it('refuses Html nesting elements too deep (the issue: 1 MiB of <a>) with 400 naming the field, and stores nothing', async () => {
  const before = await app.footprint();
  const response = await app.deliver(aDelivery({ Html: HOSTILE_HTML['unclosed <a>'](MAX_TEXT.html) }));
  expectHtmlRefused(response, 'nests elements more than 256 deep');
  expect(response.body.detail).toBe('SingleItemCheckout.Html nests elements more than 256 deep.');
  expect(await app.footprint()).toEqual(before);
});
