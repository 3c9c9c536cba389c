import { createBatcher } from '../../src/db/batcher';

/** A batcher over `run`, recording the batches it was given. */
function recording(run: (items: number[]) => Promise<number[]>, statements = 1) {
  const batches: number[][] = [];
  const shared = new Error('the database is down');
  const submit = createBatcher(
    (items: number[]) => {
      batches.push(items);
      return run(items);
    },
    { statements, sharedFailure: (error) => error === shared },
  );
  return { submit, batches, shared };
}

it('runs an item at once when idle, and what arrives meanwhile together, up to the statement limit', async () => {
  const { submit, batches } = recording(async (items) => items.map((n) => n * 10), 2);
  expect(await Promise.all([1, 2, 3, 4, 5].map(submit))).toEqual([10, 20, 30, 40, 50]);
  expect(batches).toEqual([[1], [2], [3, 4, 5]]);
  expect(await submit(6)).toBe(60);
  expect(batches.at(-1)).toEqual([6]);
});

it('retries a failed batch item by item, so only the item that fails alone is refused', async () => {
  const { submit, batches } = recording(async (items) => {
    if (items.includes(3)) throw new Error('refused');
    return items;
  });
  const outcomes = await Promise.allSettled([1, 2, 3, 4].map(submit));
  expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'refused'))).toEqual([1, 2, 'refused', 4]);
  expect(batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
});

it('fails every item of a batch at once when the failure is shared, without retrying them', async () => {
  const { submit, batches, shared } = recording(async () => {
    throw shared;
  });
  const outcomes = await Promise.allSettled([1, 2, 3].map(submit));
  expect(outcomes.every((o) => o.status === 'rejected' && o.reason === shared)).toBe(true);
  expect(batches).toEqual([[1], [2, 3]]);
});
