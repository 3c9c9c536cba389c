import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * A file shipped with the project (theme snippets, the documentation sample), found from the running module
 * upwards: the same path serves under ts-jest (src/) and from the build (dist/src/).
 */
export function projectFile(relative: string): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${relative} not found above ${__dirname}`);
}
