import { randomUUID } from 'node:crypto';
import { findLines, findTeams } from '../../src/kits/read';
import { findDeliveredKits, insertKits, type KitLookup, type KitWrite } from '../../src/kits/store';
import { buildKit } from '../../src/webhook/build';
import { createBatcher } from '../../src/db/batcher';
import { deliverySchema } from '../../src/webhook/schema';
import { aRosterDelivery } from '../factories/delivery';
import { createTestDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
  // A rule the database enforces and the payload schema does not: the way a kit can fail only at write time.
  await database.knex.raw(`alter table kits add constraint refuse_test_kits check (name <> 'refused by the database')`);
});
afterAll(() => database.drop());

/** A kit as the service would write it: a roster of 3 units, with its delivery's log row. */
function aKitWrite(name = `Kit ${randomUUID()}`, deliveryHash = randomUUID().replace(/-/g, '')): KitWrite {
  const delivery = aRosterDelivery(1, 3);
  delivery.SingleItemCheckout.Name = name;
  return {
    kit: { id: randomUUID(), deliveryHash, draft: buildKit(deliverySchema.parse(delivery), '<p>Kit</p>'), image: null },
    log: { requestId: randomUUID(), remoteAddress: '127.0.0.1', replayOf: null, bodyBytes: 100, bodySha256: deliveryHash, durationMs: 1 },
  };
}

/** Kit writes as the service batches them, with `statements` in flight at once. */
const kitWriter = (statements: number) =>
  createBatcher((writes: KitWrite[]) => insertKits(database.knex, writes), { statements, sharedFailure: () => false });

/** The transaction that wrote each kit: kits written by one statement share it. */
async function writerTransactions(ids: string[]) {
  const rows = await database.knex('kits').whereIn('id', ids).select('id', database.knex.raw('xmin::text as xid'));
  return new Map(rows.map((row: { id: string; xid: string }) => [row.id, row.xid]));
}

it('stores kits that arrive together in one statement, each with its own lines and roster', async () => {
  const write = kitWriter(1);
  const writes = Array.from({ length: 6 }, () => aKitWrite());
  const results = await Promise.all(writes.map(write));
  const ids = writes.map((w) => w.kit.id);
  const transactions = await writerTransactions(ids);
  // the first went alone; the five that queued behind it shared the next statement
  expect(new Set(transactions.values()).size).toBe(2);
  for (const [i, { kit }] of writes.entries()) {
    const lines = await findLines(database.knex, kit.id);
    expect(lines.map((line) => line.id)).toEqual(results[i]);
    expect(lines.map((line) => [line.size, line.quantity])).toEqual(kit.draft.lines.map((line) => [line.size, line.quantity]));
    const [team] = await findTeams(database.knex, kit.id);
    expect(team!.units.map((unit) => unit.name)).toEqual(kit.draft.teams[0]!.units.map((unit) => unit.name));
    // every unit is linked to a line of its own kit
    expect(team!.units.every((unit) => results[i]!.includes(unit.lineId!))).toBe(true);
  }
  const logged = await database.knex('deliveries').whereIn('kit_id', ids).select('kit_id', 'outcome', 'request_id');
  expect(logged.map((row: { kit_id: string }) => row.kit_id).sort()).toEqual([...ids].sort());
  expect(new Set(logged.map((row: { outcome: string }) => row.outcome))).toEqual(new Set(['created']));
});

it('fails only the kit the database refuses; the kits it was batched with are stored', async () => {
  const write = kitWriter(1);
  const writes = [aKitWrite(), aKitWrite(), aKitWrite('refused by the database'), aKitWrite()];
  const outcomes = await Promise.allSettled(writes.map(write));
  expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
  const stored = await writerTransactions(writes.map((w) => w.kit.id));
  expect([...stored.keys()].sort()).toEqual([writes[0]!, writes[1]!, writes[3]!].map((w) => w.kit.id).sort());
  const refused = writes[2]!;
  expect(await database.knex('deliveries').where({ request_id: refused.log.requestId }).first()).toBeUndefined();
  expect(await database.knex('kit_teams').where({ kit_id: refused.kit.id }).first()).toBeUndefined();
});

it('stores one kit when the same delivery is twice in one statement, and answers null for the other', async () => {
  const write = kitWriter(1);
  const first = aKitWrite('Twice', 'same-delivery');
  const again = aKitWrite('Twice', 'same-delivery');
  const results = await Promise.all([write(aKitWrite()), write(first), write(again)]);
  expect(results[1]).toHaveLength(first.kit.draft.lines.length);
  expect(results[2]).toBeNull();
  expect(Number((await database.knex('kits').where({ delivery_hash: 'same-delivery' }).count({ n: '*' }))[0]!.n)).toBe(1);
  expect(await database.knex('kit_lines').where({ kit_id: again.kit.id }).first()).toBeUndefined();
});

it('looks up deliveries together: each repeat gets its kit and a duplicate log row, an unknown one gets neither', async () => {
  const stored = aKitWrite();
  await kitWriter(1)(stored);
  const find = createBatcher((lookups: KitLookup[]) => findDeliveredKits(database.knex, lookups), { statements: 1, sharedFailure: () => false });
  const lookup = (deliveryHash: string): KitLookup => ({ deliveryHash, log: { ...stored.log, requestId: randomUUID() } });
  const lookups = [lookup('unknown-first'), lookup(stored.kit.deliveryHash), lookup('unknown'), lookup(stored.kit.deliveryHash)];
  const found = await Promise.all(lookups.map(find));
  expect(found.map((kit) => kit?.id)).toEqual([undefined, stored.kit.id, undefined, stored.kit.id]);
  expect(found[1]!.lines.map((line) => line.size)).toEqual(stored.kit.draft.lines.map((line) => line.size));
  const logged = await database.knex('deliveries').whereIn('request_id', lookups.map((l) => l.log.requestId)).select('request_id', 'outcome', 'kit_id');
  expect(logged).toHaveLength(2);
  expect(logged.map((row: { request_id: string }) => row.request_id).sort()).toEqual([lookups[1]!, lookups[3]!].map((l) => l.log.requestId).sort());
  expect(logged.every((row: { outcome: string; kit_id: string }) => row.outcome === 'duplicate' && row.kit_id === stored.kit.id)).toBe(true);
});
