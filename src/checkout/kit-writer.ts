import { insertKits, type KitWrite } from '../catalog/kits';
import type { Db } from '../db/database';
import { classify } from '../http/classify';

interface Pending extends KitWrite {
  resolve(lineIds: string[] | null): void;
  reject(error: unknown): void;
}

export type KitWriter = (write: KitWrite) => Promise<string[] | null>;

/**
 * Writes kits as they come, but lets deliveries that arrive while earlier statements run share the next one:
 * under load one statement and one commit store many kits (measured: PostgreSQL CPU per kit 0.45 ms alone,
 * 0.17 ms ten at a time); when idle, a kit is written at once, alone. A statement that fails is retried kit
 * by kit, so a kit the database refuses fails only its own delivery; without a database all of them fail.
 */
export function createKitWriter(db: Db, { statements = 2, maxBatch = 32 } = {}): KitWriter {
  const queue: Pending[] = [];
  let running = 0;

  function pump(): void {
    while (running < statements && queue.length > 0) {
      const batch = queue.splice(0, maxBatch);
      running++;
      void run(batch).finally(() => {
        running--;
        pump();
      });
    }
  }

  async function run(batch: Pending[]): Promise<void> {
    try {
      const results = await insertKits(db, batch);
      batch.forEach((pending, i) => pending.resolve(results[i]!));
    } catch (error) {
      // Without a database, retrying each kit would only make every delivery wait twice for the same 503.
      if (batch.length === 1 || classify(error).code === 'database-unavailable') {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => run([pending])));
    }
  }

  return (write) =>
    new Promise((resolve, reject) => {
      queue.push({ ...write, resolve, reject });
      pump();
    });
}
