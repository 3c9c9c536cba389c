import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '../shared/hash';

/**
 * Images live on disk under their content hash. A write is two-phase so no failure leaves a file that no
 * row refers to: `stage` writes and fsyncs a temp file before the database transaction; `commit` renames it
 * to its final name after the transaction commits; `discard` removes it when the transaction fails.
 */
export interface StagedImage {
  name: string;
  bytes: number;
  tempPath: string;
}

const TEMP_SUFFIX = '.tmp';

export interface ImageStore {
  dir: string;
  stage(bytes: Buffer): Promise<StagedImage>;
  commit(staged: StagedImage): Promise<void>;
  discard(staged: StagedImage): Promise<void>;
  pathOf(name: string): string | undefined;
  /** Bytes free for new images on the disk that holds them, as `df` shows them to an unprivileged user. */
  freeBytes(): Promise<number>;
  /** Removes a committed image (no error if it is already gone). */
  remove(name: string): Promise<void>;
  /** Finishes or removes temp files left by a crash; `isReferenced` says whether a committed row names the image. */
  sweep(isReferenced: (name: string) => Promise<boolean>): Promise<{ committed: number; removed: number }>;
}

export const IMAGE_NAME = /^[0-9a-f]{64}\.png$/;

export function createImageStore(dir: string): ImageStore {
  const finalPath = (name: string) => path.join(dir, name);

  async function rename(tempPath: string, name: string): Promise<void> {
    await fs.rename(tempPath, finalPath(name));
    await fsyncDir(dir);
  }

  return {
    dir,
    async stage(bytes) {
      const name = `${await sha256Hex(bytes)}.png`;
      const tempPath = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
      await fs.mkdir(dir, { recursive: true });
      const handle = await fs.open(tempPath, 'wx', 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } catch (error) {
        await handle.close();
        await fs.rm(tempPath, { force: true });
        throw error;
      }
      await handle.close();
      return { name, bytes: bytes.length, tempPath };
    },
    commit: (staged) => rename(staged.tempPath, staged.name),
    discard: (staged) => fs.rm(staged.tempPath, { force: true }),
    pathOf: (name) => (IMAGE_NAME.test(name) ? finalPath(name) : undefined),
    async freeBytes() {
      await fs.mkdir(dir, { recursive: true });
      const { bavail, bsize } = await fs.statfs(dir);
      return bavail * bsize;
    },
    remove: (name) => (IMAGE_NAME.test(name) ? fs.rm(finalPath(name), { force: true }) : Promise.resolve()),
    async sweep(isReferenced) {
      let committed = 0;
      let removed = 0;
      const entries = await fs.readdir(dir).catch(() => [] as string[]);
      for (const entry of entries) {
        const match = /^\.([0-9a-f]{64}\.png)\.[0-9a-f]+\.tmp$/.exec(entry);
        if (!match) continue;
        const name = match[1]!;
        const tempPath = path.join(dir, entry);
        const finalExists = await fs.access(finalPath(name)).then(() => true, () => false);
        if (!finalExists && (await isReferenced(name))) {
          await rename(tempPath, name);
          committed += 1;
        } else {
          await fs.rm(tempPath, { force: true });
          removed += 1;
        }
      }
      return { committed, removed };
    },
  };
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
