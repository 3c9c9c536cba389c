import { generateToken } from '../../src/webhook-tokens/tokens';
import { runQueueJob } from '../../src/print-queue/job';
import { aDelivery } from '../factories/delivery';
import { signIn, type ConsoleSession } from '../helpers/console';
import { startShopApp } from '../helpers/nopcommerce';
import { cancel, checkoutKits, markPaid } from '../helpers/nop-orders';

const ADMIN_TOKEN = generateToken();
type Link = { id: string; lines: Array<{ nopProductId: number }> };

let s: Awaited<ReturnType<typeof startShopApp>>;
let session: ConsoleSession;
let kit: Link;
const readShop = () => runQueueJob({ db: s.app.db, feed: s.adapter.orderFeed, from: 'paid' });
/** The order numbers in the queue table of a page, top to bottom. */
const listed = (page: string) => [...page.matchAll(/<td data-label="Order"><strong>([^<]+)<\/strong>/g)].map((m) => m[1]);

beforeAll(async () => {
  s = await startShopApp({ engine: 'postgres', app: { adminToken: ADMIN_TOKEN } });
  session = await signIn(s.app, ADMIN_TOKEN);
  kit = (await s.app.deliver(aDelivery({ Name: 'Ølstykke Home', sizes: [{ Name: '128cm', Quantity: 1 }, { Name: '140cm', Quantity: 1 }] })).expect(200)).body;
}, 120_000);
afterAll(() => s?.close());

const order = (a: number, b: number, at: string) =>
  checkoutKits(s.nop, [{ productId: kit.lines[0]!.nopProductId, quantity: a }, { productId: kit.lines[1]!.nopProductId, quantity: b }], at);

it('lists paid kit orders to print, newest first, with the shop statuses, sizes and counts on each filter', async () => {
  const older = await order(2, 1, '2026-03-01 09:00:00');
  const newer = await order(0, 4, '2026-03-02 09:00:00');
  const unpaid = await order(1, 0, '2026-03-03 09:00:00');
  await markPaid(s.nop, older);
  await markPaid(s.nop, newer);
  await readShop();

  const page = await session.get('/console/queue').expect(200);
  expect(listed(page.text)).toEqual([String(newer), String(older)]);
  expect(page.text).toContain('To print (2)');
  expect(page.text).toContain('All (3)');
  expect(page.text).toContain('Søren Kjærgård');
  expect(page.text).toContain('Payment: Paid</div><div>Order: Processing</div><div>Shipping: Not yet shipped');
  expect(page.text).toMatch(/Ølstykke Home<\/a>: 128cm × 2, 140cm × 1/);
  expect(page.text).toContain('href="/console/queue"');
  const all = await session.get('/console/queue?state=all').expect(200);
  expect(listed(all.text)).toEqual([String(unpaid), String(newer), String(older)]);
  expect(all.text).toContain('Payment: Pending');
  await session.get('/console/queue?state=nonsense').expect(400);
});

it('prints selected orders as one batch from their own lines and rosters, one CSV for all, then marks them printed after a confirmation', async () => {
  const team = { Name: 'Piger U12', Units: [{ Name: 'Åse Lund', Number: '4', Size: 'S' }, { Name: 'Ida <Krogh>', Number: '11', Size: 'S' }, { Name: 'Freja', Number: '8', Size: 'M' }] };
  const rostered = (await s.app.deliver(aDelivery({ Name: 'Piger Shirt', sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 1 }], teams: [team] })).expect(200)).body as Link;
  const a = await checkoutKits(s.nop, [{ productId: rostered.lines[0]!.nopProductId, quantity: 2 }, { productId: rostered.lines[1]!.nopProductId, quantity: 1 }], '2026-04-01 09:00:00');
  const b = await order(3, 0, '2026-04-01 10:00:00');
  for (const id of [a, b]) await markPaid(s.nop, id);
  await readShop();

  const printed = await session.post('/console/queue/print', { order: [String(a), String(b)] as never }).expect(303);
  const batch = printed.headers.location!;
  expect(batch).toMatch(/^\/console\/queue\/batches\/\d+\/sheet$/);
  const sheet = await session.get(batch).expect(200);
  expect(listed(sheet.text)).toEqual([String(a), String(b)]);
  expect(sheet.text).toContain('2 orders, 6 garments');
  expect(sheet.text).toContain('6 garments on 3 pages');
  expect(sheet.text).toContain('Ida &lt;Krogh&gt;');
  expect(sheet.text).toMatch(new RegExp(`<td class="no">11</td><td>Ida &lt;Krogh&gt;</td><td>${a}</td>`));
  expect(sheet.text).toContain(`3 × without name or number (order ${b})`);
  const perOrder = await session.get(`${batch}?per=order`).expect(200);
  expect(perOrder.text).toContain(`Size S · order ${a}`);
  expect(perOrder.text).toContain(`Size 128cm · order ${b}`);
  const csv = await session.get(`${batch}.csv`).expect(200);
  const rows = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
  expect(rows).toHaveLength(1 + 6);
  expect(rows.filter((row) => row.startsWith(`${a},`))).toHaveLength(3);
  expect(rows.filter((row) => row.startsWith(`${b},`))).toHaveLength(3);
  expect(listed((await session.get('/console/queue?state=printing')).text)).toEqual(expect.arrayContaining([String(a), String(b)]));

  const confirm = await session.post('/console/queue/printed', { order: [String(a), String(b)] as never }).expect(200);
  expect(confirm.text).toContain('Mark 2 orders printed?');
  expect(listed((await session.get('/console/queue?state=printing')).text)).toContain(String(a));
  const done = await session.post('/console/queue/printed', { order: [String(a), String(b)] as never, confirm: 'yes', by: 'Lise K' }).expect(303);
  expect(done.headers.location).toBe('/console/queue?state=printed&marked=2');
  const printedPage = await session.get(done.headers.location!).expect(200);
  expect(printedPage.text).toContain('2 orders marked printed.');
  expect(listed(printedPage.text)).toEqual(expect.arrayContaining([String(a), String(b)]));
  expect(printedPage.text).toContain('by Lise K');
});

it('flags in red an order cancelled after it was printed, and refuses to print a cancelled one', async () => {
  const [printedThenCancelled, cancelledFirst] = [await order(1, 0, '2026-05-01 09:00:00'), await order(1, 0, '2026-05-01 10:00:00')];
  for (const id of [printedThenCancelled, cancelledFirst]) await markPaid(s.nop, id);
  await readShop();
  await session.post('/console/queue/print', { order: String(printedThenCancelled) }).expect(303);
  await cancel(s.nop, printedThenCancelled);
  await cancel(s.nop, cancelledFirst);
  await readShop();
  const page = await session.get('/console/queue?state=printing').expect(200);
  expect(page.text).toMatch(new RegExp(`<tr class="problem">\\s*<td><input type="checkbox" name="order" value="${printedThenCancelled}"`));
  expect(page.text).toContain('Cancelled or refunded in the shop: do not ship');
  const refused = await session.post('/console/queue/print', { order: String(cancelledFirst) }).expect(400);
  expect(refused.text).toContain(`Order ${cancelledFirst} is not to print`);
});

it('accepts no batch without the form token, without an order, or with an order it does not know', async () => {
  await session.post('/console/queue/print', { order: '1', _csrf: 'forged' }).expect(403);
  await session.post('/console/queue/print', {}).expect(400);
  const unknown = await session.post('/console/queue/print', { order: '999999' }).expect(404);
  expect(unknown.text).toContain('The print queue has no order 999999.');
  await session.get('/console/queue/batches/999999/sheet').expect(404);
});
