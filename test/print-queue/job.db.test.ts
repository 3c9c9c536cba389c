import { aDelivery } from '../factories/delivery';
import { NOP_ENGINES, placeOrder, startShopApp, type NopEngine } from '../helpers/nopcommerce';
import { cancel, checkoutKits, deliver, markPaid, markProcessing, refund, ship, softDelete, voidPayment } from '../helpers/nop-orders';
import { runQueueJob } from '../../src/print-queue/job';
import { listQueue, markPrinted, queuedOrders, startBatch } from '../../src/print-queue/store';
import type { QueueFrom, ToPrintOrder } from '../../src/print-queue/types';

type Shop = Awaited<ReturnType<typeof startShopApp>>;
type Link = { id: string; lines: Array<{ nopProductId: number; size: string; quantity: number }> };

const utc = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

describe.each(NOP_ENGINES)('the print queue follows a %s shop', (engine: NopEngine) => {
  let s: Shop;
  let kit: Link;
  let announced: ToPrintOrder[];
  const run = (from: QueueFrom = 'paid', holder?: string) =>
    runQueueJob({ db: s.app.db, feed: s.adapter.orderFeed, from, holder, onToPrint: async (_trx, order) => void announced.push(order) });
  const state = async (orderId: number, from: QueueFrom = 'paid') => (await queuedOrders(s.app.db, from, [orderId]))[0];

  beforeAll(async () => {
    // As a login holding only the permissions the nopCommerce guide documents.
    s = await startShopApp({ engine, restricted: true });
    const teams = [{ Name: 'Drenge U12', Units: [{ Name: 'Søren', Number: '7', Size: '128cm' }, { Name: 'Åse & <Bo>', Number: '9', Size: '140cm' }] }];
    kit = (await s.app.deliver(aDelivery({ Name: 'Home Shirt', sizes: [{ Name: '128cm', Quantity: 1 }, { Name: '140cm', Quantity: 1 }], teams })).expect(200)).body;
  }, 120_000);
  afterAll(() => s?.close());
  beforeEach(() => {
    announced = [];
  });

  const order = (quantities: [number, number]) =>
    checkoutKits(s.nop, quantities.flatMap((quantity, i) => (quantity ? [{ productId: kit.lines[i]!.nopProductId, quantity }] : [])));

  it('lists a placed order as waiting, makes it "to print" once paid and announces it exactly once', async () => {
    const orderId = await order([2, 3]);
    await run();
    expect(await state(orderId)).toMatchObject({ state: 'waiting', customerName: 'Søren Kjærgård', paymentStatusId: 10, orderStatusId: 10, garments: 5 });
    expect(announced).toEqual([]);

    await markPaid(s.nop, orderId);
    await run();
    expect(await state(orderId)).toMatchObject({ state: 'to print', paymentStatusId: 30, orderStatusId: 20 });
    expect(announced).toEqual([
      {
        orderId,
        customOrderNumber: String(orderId),
        createdOnUtc: '2026-01-15T10:30:00.000Z',
        kits: [{ kitId: kit.id, name: 'Home Shirt', sizes: [{ size: '128cm', garments: 2 }, { size: '140cm', garments: 3 }] }],
        garments: 5,
      },
    ]);
    await run();
    await run();
    expect(announced).toHaveLength(1);
  });

  it('leaves out orders without kit products', async () => {
    // A product kitbridge does not know of: a kit's line whose product link was forgotten.
    const other = (await s.app.deliver(aDelivery({ Name: 'Not ours' })).expect(200)).body as Link;
    await s.app.db('kit_line_nop_products').where({ nop_product_id: other.lines[0]!.nopProductId }).delete();
    const orderId = await placeOrder(s.nop, [{ productId: other.lines[0]!.nopProductId, quantity: 4 }]);
    await markPaid(s.nop, orderId);
    await run();
    expect(await state(orderId)).toBeUndefined();
    expect(announced).toEqual([]);
  });

  it('follows an order through printing and printed, and flags it in red when it is cancelled after printing', async () => {
    const orderId = await order([1, 0]);
    await markPaid(s.nop, orderId);
    await run();
    await startBatch(s.app.db, [orderId], new Date());
    expect(await state(orderId)).toMatchObject({ state: 'printing', stopped: false });
    await cancel(s.nop, orderId);
    await run();
    expect(await state(orderId)).toMatchObject({ state: 'printing', stopped: true, orderStatusId: 40 });
    await markPrinted(s.app.db, [orderId], 'LK', new Date());
    await run();
    expect(await state(orderId)).toMatchObject({ state: 'printed', stopped: true, printedBy: 'LK' });
    // Printed and cancelled is settled: no longer re-read.
    expect((await s.app.db('print_queue_orders').where({ order_id: orderId }).first()).settled).toBe(true);
  });

  it('flags a printed order refunded later, and settles one printed and completed', async () => {
    const [refunded, completed] = [await order([1, 1]), await order([0, 2])];
    for (const id of [refunded, completed]) await markPaid(s.nop, id);
    await run();
    await startBatch(s.app.db, [refunded, completed], new Date());
    await markPrinted(s.app.db, [refunded, completed], null, new Date());
    await refund(s.nop, refunded);
    await ship(s.nop, completed);
    await run();
    expect(await state(refunded)).toMatchObject({ state: 'printed', stopped: true, paymentStatusId: 40 });
    expect(await state(completed)).toMatchObject({ state: 'printed', stopped: false, shippingStatusId: 30 });
    await deliver(s.nop, completed);
    await run();
    const settled = await s.app.db('print_queue_orders').whereIn('order_id', [refunded, completed]).orderBy('order_id').pluck('settled');
    expect(settled).toEqual([true, true]);
  });

  it('never puts cancelled, voided, refunded, deleted or already shipped orders to print', async () => {
    const ids = [await order([1, 0]), await order([1, 0]), await order([1, 0]), await order([1, 0]), await order([1, 0])];
    const [cancelled, voided, refunded, deleted, shipped] = ids;
    await cancel(s.nop, cancelled!);
    for (const id of [cancelled!, refunded!, deleted!, shipped!]) await markPaid(s.nop, id);
    await voidPayment(s.nop, voided!);
    await refund(s.nop, refunded!);
    await softDelete(s.nop, deleted!);
    await ship(s.nop, shipped!);
    await run();
    const states = await Promise.all(ids.map((id) => state(id!)));
    expect(states.map((o) => o!.state)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled', 'shipped']);
    expect(announced).toEqual([]);
  });

  it('with PRINT_QUEUE_FROM=processing, puts an order to print once the shop processes it, before payment', async () => {
    const orderId = await order([0, 1]);
    await run('processing');
    expect(await state(orderId, 'processing')).toMatchObject({ state: 'waiting' });
    await markProcessing(s.nop, orderId);
    await run('processing');
    expect(await state(orderId, 'processing')).toMatchObject({ state: 'to print', paymentStatusId: 10 });
    expect(await state(orderId, 'paid')).toMatchObject({ state: 'waiting' });
    expect(announced.map((o) => o.orderId)).toEqual([orderId]);
  });

  it('reads an order again until its lines are surely written, as nopCommerce adds them after the order row', async () => {
    // The order row first, its lines a moment later, as PlaceOrderAsync does outside one transaction.
    const orderId = await placeOrder(s.nop, [], utc(Date.now() - 1000));
    await run();
    expect(await state(orderId)).toBeUndefined();
    await s.nop.db('OrderItem').insert(
      (await s.nop.db('OrderItem').orderBy('Id', 'desc').first().select('*').then((row) => ({ ...row, Id: undefined, OrderId: orderId, OrderItemGuid: crypto.randomUUID() }))),
    );
    await markPaid(s.nop, orderId);
    await run();
    expect(await state(orderId)).toMatchObject({ state: 'to print' });
    expect(Number((await s.app.db('print_queue_feed').first()).after_order_id)).toBeLessThan(orderId);
  });

  it('runs once when two jobs start at once', async () => {
    const ids = [await order([1, 1]), await order([2, 0])];
    for (const id of ids) await markPaid(s.nop, id);
    const runs = await Promise.all([run('paid', 'process-a'), run('paid', 'process-b')]);
    expect(runs.map((r) => r.ran).sort()).toEqual([false, true]);
    expect(announced.map((o) => o.orderId).sort((a, b) => a - b)).toEqual(ids);
    const listed = await listQueue(s.app.db, 'paid', 'to print', 100);
    expect(listed.map((o) => o.orderId)).toEqual(expect.arrayContaining(ids));
  });
});
