import { createHash, webcrypto } from 'node:crypto';

/** Below this, hashing in place is cheaper than handing the bytes to another thread. */
const OFF_THREAD_BYTES = 64 * 1024;

/**
 * SHA-256 in hex. Large inputs (image deliveries: megabytes) are hashed on libuv's thread pool through
 * WebCrypto, so the event loop keeps serving other requests meanwhile.
 */
export async function sha256Hex(bytes: Buffer): Promise<string> {
  if (bytes.length < OFF_THREAD_BYTES) return createHash('sha256').update(bytes).digest('hex');
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
}
