import { promises as fs } from 'node:fs';
import { projectFile } from '../shared/project-file';

/** Kit Builder documentation's sample delivery, as valid JSON with a real 16 x 16 PNG. */
const SAMPLE_PATH = 'docs/kitbuilder/single-item-checkout.sample.json';

/**
 * The sample as the file's own bytes: sent as they are (by `kitbridge send-sample` and the console's test
 * delivery) it is the same delivery, with the same hash, as the README's curl of that file.
 */
export const readSample = (): Promise<Buffer> => fs.readFile(projectFile(SAMPLE_PATH));
