interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

export interface BatcherOptions {
  /** statements in flight at once; what arrives meanwhile waits and goes into the next one */
  statements?: number;
  maxBatch?: number;
  /** errors every item of a batch would meet alike (the database is down): not retried item by item */
  sharedFailure(error: unknown): boolean;
}

/**
 * Runs items as they come, but lets items that arrive while earlier statements run share the next one: under
 * load one statement (and one commit) serves many deliveries; when idle, an item runs at once, alone.
 * `run` gets a batch and returns one result per item, in order. A batch that fails is run again item by item,
 * so an item the database refuses fails alone, unless the failure is shared by all.
 */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, options: BatcherOptions): (item: I) => Promise<O> {
  const { statements = 2, maxBatch = 32 } = options;
  const queue: Array<Pending<I, O>> = [];
  let running = 0;

  function pump(): void {
    while (running < statements && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      running++;
      void settle(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  async function settle(batch: Array<Pending<I, O>>): Promise<void> {
    try {
      const results = await run(batch.map((pending) => pending.item));
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || options.sharedFailure(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => settle([pending])));
    }
  }

  return (item) =>
    new Promise((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
