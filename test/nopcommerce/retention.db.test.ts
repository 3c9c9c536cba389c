import { cleanupBatch } from '../../src/housekeeping/cleanup';
import { aDelivery, aRosterDelivery } from '../factories/delivery';
import { NOP_ENGINES, placeOrder, startShopApp, type NopEngine } from '../helpers/nopcommerce';

type Shop = Awaited<ReturnType<typeof startShopApp>>;
const idsIn = (body: { lines: Array<{ nopProductId: number }> }) => body.lines.map((line) => line.nopProductId);

const rosterCount = async (s: Shop, productIds: number[]) =>
  Number(
    (
      await s
        .shop('ProductAttributeValue as v')
        .join('Product_ProductAttribute_Mapping as m', 'm.Id', 'v.ProductAttributeMappingId')
        .whereIn('m.ProductId', productIds)
        .count({ n: '*' })
    )[0]!.n,
  );

describe.each(NOP_ENGINES)('retention on %s, with only the documented permissions', (engine: NopEngine) => {
  let s: Shop;
  beforeAll(async () => {
    s = await startShopApp({ engine, restricted: true });
  });
  afterAll(() => s.close());

  it('soft-deletes and scrubs the products of removed, never-ordered kits, and never touches an ordered one', async () => {
    const [gone, ordered, alsoGone] = await Promise.all([1, 2, 3].map(async () => (await s.app.deliver(aRosterDelivery(1, 4))).body));
    const orderId = await placeOrder(s.nop, [{ productId: idsIn(ordered)[0]!, quantity: 1, unitPrice: '20.0000' }]);
    await s.app.db('kits').whereIn('id', [gone.id, ordered.id, alsoGone.id]).update({ created_at: s.app.db.raw("now() - interval '100 days'") });
    const orderedBefore = await s.shop('Product').whereIn('Id', idsIn(ordered)).orderBy('Id');
    const removedIds = [...idsIn(gone), ...idsIn(alsoGone)];
    const before = await s.shop('Product').whereIn('Id', removedIds).orderBy('Id');

    const batch = await cleanupBatch(
      { db: s.app.db, images: s.app.images, adapter: s.adapter },
      { olderThan: new Date(Date.now() - 90 * 86_400_000), dryRun: false, limit: 100 },
    );

    expect(batch.removed.map((k) => k.id).sort()).toEqual([gone.id, alsoGone.id].sort());
    expect(batch.kept.map((k) => k.id)).toEqual([ordered.id]);
    expect(batch.productsRetired).toBe(removedIds.length);
    const after = await s.shop('Product').whereIn('Id', removedIds).orderBy('Id');
    // As nopCommerce's admin deletes a product: Deleted, every other column as it was, UpdatedOnUtc included;
    // and what named players is gone.
    expect(after).toEqual(before.map((row) => ({ ...row, Deleted: true, ShortDescription: null, FullDescription: null })));
    expect(await rosterCount(s, removedIds)).toBe(0);
    // The ordered kit's products and roster are as they were, and so is the order.
    expect(await s.shop('Product').whereIn('Id', idsIn(ordered)).orderBy('Id')).toEqual(orderedBefore);
    expect(await rosterCount(s, idsIn(ordered))).toBe(3 + 4);
    expect(await s.shop('OrderItem').where({ OrderId: orderId }).count({ n: '*' })).toEqual([{ n: expect.anything() }]);
  });

  it('never retires a product kitbridge did not write, nor one that is in an order', async () => {
    const kit = (await s.app.deliver(aDelivery())).body;
    const [ours] = idsIn(kit);
    const shopsOwn = await s.shop('Product').where({ Id: ours }).first();
    await s.nop.run(
      engine === 'postgres'
        ? `update "Product" set "AdminComment" = 'made by the shop' where "Id" = ${ours}`
        : `update Product set AdminComment = 'made by the shop' where Id = ${ours}`,
    );
    const other = (await s.app.deliver(aDelivery())).body;
    await placeOrder(s.nop, [{ productId: idsIn(other)[0]!, quantity: 1 }]);

    expect(await s.adapter.retire([ours!, idsIn(other)[0]!])).toEqual({ retired: [], ordered: [idsIn(other)[0]] });
    expect(await s.shop('Product').where({ Id: ours }).first()).toEqual({ ...shopsOwn, AdminComment: 'made by the shop' });
  });

  it('tells in which orders products appear, with each order’s number and date', async () => {
    const kit = (await s.app.deliver(aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }, { Name: 'M', Quantity: 1 }] }))).body;
    const [small, medium] = idsIn(kit);
    const first = await placeOrder(s.nop, [{ productId: small!, quantity: 1 }, { productId: medium!, quantity: 1 }], '2026-02-01 09:00:00');
    const second = await placeOrder(s.nop, [{ productId: small!, quantity: 1 }], '2026-03-04 17:45:30.5');

    expect(await s.adapter.ordersOf([small!, medium!])).toEqual([
      { productId: small, orderId: first, customOrderNumber: String(first), createdOnUtc: '2026-02-01T09:00:00.000Z', deleted: false },
      { productId: medium, orderId: first, customOrderNumber: String(first), createdOnUtc: '2026-02-01T09:00:00.000Z', deleted: false },
      { productId: small, orderId: second, customOrderNumber: String(second), createdOnUtc: '2026-03-04T17:45:30.500Z', deleted: false },
    ]);
    expect(await s.adapter.ordersOf([])).toEqual([]);
  });
});
