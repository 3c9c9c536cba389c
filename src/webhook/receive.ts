import type { Knex } from 'knex';
import { createBatcher } from '../db/batcher';
import { successLog, type Sender, type SuccessLog } from '../deliveries/log';
import { parseJson } from '../http/body';
import { classify } from '../http/classify';
import { AppError } from '../http/errors';
import { decodePng, type PngLimits } from '../images/png';
import type { ImageStore, StagedImage } from '../images/store';
import type { NewKit, ShopProduct } from '../kits/draft';
import { newKitId } from '../kits/id';
import { kitPath } from '../kits/links';
import { appendKitWarnings, findDeliveredKits, insertKits, insertLineProducts, type KitLookup, type KitWrite } from '../kits/store';
import { summaryOf, type KitSummary } from '../kits/stored';
import type { NopCommerceAdapter } from '../nopcommerce/adapter';
import { sha256Hex } from '../shared/hash';
import { buildKit } from './build';
import { insufficientStorage, invalidHtml, invalidImage, invalidPayload } from './errors';
import { toLink, type LinkBase, type ProductLink } from './link';
import type { HtmlSanitizer } from './sanitizer';
import { deliverySchema, type Delivery } from './schema';

export interface WebhookDeps {
  db: Knex;
  images: ImageStore;
  maxImageBytes: number;
  /** width x height of an image, at most */
  maxImagePixels: number;
  /** new images are refused when storing them would leave less free disk space than this */
  minFreeDiskBytes: number;
  html: HtmlSanitizer;
  currency?: string;
  /** the nopCommerce shop kits are published into, and the base of its URLs ('' = root-relative) */
  shop?: { adapter: NopCommerceAdapter; baseUrl: string };
}

export interface Receipt {
  link: ProductLink;
  /** false when the delivery had been received before and this is the first answer again */
  created: boolean;
}

export interface Receiver {
  receive(raw: Buffer, baseUrl: string, sender: Sender): Promise<Receipt>;
}

/** Looking kits up and writing them, shared between concurrent deliveries. */
interface KitAccess {
  find(lookup: KitLookup): Promise<KitSummary | undefined>;
  write(write: KitWrite): Promise<string[] | null>;
}

type ReceiveDeps = WebhookDeps & { kits: KitAccess };

/** One new delivery's kit on its way to storage, made once in `receive` and handed whole to the steps after it. */
interface Arrival {
  /** the kit, its image not yet staged */
  kit: NewKit;
  /** the delivery's PNG, checked; null without one */
  png: Buffer | null;
  /** the kit's page, which the shop's products link to */
  kitUrl: string;
  /** the delivery's log row, with the time taken until it is made */
  log: () => SuccessLog;
}

/**
 * The webhook's use case. Concurrent deliveries share lookups and, without a shop, writes (with one, each kit
 * has its own transaction). Without a database every delivery of a batch fails alike: no retrying them
 * one by one.
 */
export function createReceiver(deps: WebhookDeps): Receiver {
  const batching = { sharedFailure: (error: unknown) => classify(error).code === 'database-unavailable' };
  const kits: KitAccess = {
    find: createBatcher((lookups: KitLookup[]) => findDeliveredKits(deps.db, lookups), batching),
    write: createBatcher((writes: KitWrite[]) => insertKits(deps.db, writes), batching),
  };
  const withKits: ReceiveDeps = { ...deps, kits };
  return { receive: (raw, baseUrl, sender) => receive(withKits, raw, baseUrl, sender) };
}

/**
 * Receives one delivery: the body's bytes as they arrived. The same bytes always yield the same kit, however
 * often and however concurrently they arrive. A receipt means the delivery is in the delivery log too,
 * written with the kit (or with finding it).
 */
async function receive(deps: ReceiveDeps, raw: Buffer, baseUrl: string, sender: Sender): Promise<Receipt> {
  const links: LinkBase = { baseUrl, shopBaseUrl: deps.shop?.baseUrl, currency: deps.currency };
  const deliveryHash = await sha256Hex(raw);
  // Each statement logs the delivery with the time it took until then.
  const log = () => successLog(sender, raw.length, deliveryHash);

  // A repeat is answered as the first time, without parsing its body again.
  const earlier = await deps.kits.find({ deliveryHash, log: log() });
  if (earlier) return { link: toLink(earlier, links), created: false };

  const delivery = parseDelivery(raw);
  const html = await htmlOf(delivery, deps.html);
  const kit: NewKit = { id: newKitId(), deliveryHash, draft: buildKit(delivery, html), image: null };
  const png = await imageOf(delivery, { maxBytes: deps.maxImageBytes, maxPixels: deps.maxImagePixels });
  const stored = await storeKit(deps, { kit, png, kitUrl: baseUrl + kitPath(kit.id), log });
  if (stored) return { link: toLink(stored, links), created: true };

  // A concurrent delivery of the same body committed first: answer with its kit.
  const winner = await deps.kits.find({ deliveryHash, log: log() });
  if (!winner) throw new AppError('internal', 'a concurrent duplicate vanished');
  return { link: toLink(winner, links), created: false };
}

function parseDelivery(raw: Buffer): Delivery {
  const parsed = deliverySchema.safeParse(parseJson(raw));
  if (!parsed.success) throw invalidPayload(parsed.error);
  return parsed.data;
}

/** The delivery's Html with only what is allowed kept. */
async function htmlOf(delivery: Delivery, sanitizer: HtmlSanitizer): Promise<string> {
  const sanitized = await sanitizer.sanitize(delivery.SingleItemCheckout.Html);
  if ('reason' in sanitized) throw invalidHtml(sanitized.reason);
  return sanitized.html;
}

/** The delivery's PNG, checked; null without one. */
async function imageOf(delivery: Delivery, limits: PngLimits): Promise<Buffer | null> {
  const mainImage = delivery.SingleItemCheckout.MainImage;
  if (mainImage === null) return null;
  const png = await decodePng(mainImage, limits);
  if ('reason' in png) throw invalidImage(png.reason);
  return png.bytes;
}

/**
 * Stores the kit with its image: the file is staged (written and fsynced) before the kit's rows, renamed to
 * its name after they commit, and removed if they do not. Null when a concurrent duplicate won.
 */
async function storeKit(deps: ReceiveDeps, arrival: Arrival) {
  const { png } = arrival;
  if (png) await ensureRoomFor(png, deps);
  const staged: StagedImage | null = png ? await deps.images.stage(png) : null;
  const kit: NewKit = { ...arrival.kit, image: staged && { name: staged.name, bytes: staged.bytes } };
  let stored: KitSummary | null;
  try {
    stored = await writeKit(deps, { ...arrival, kit });
  } catch (error) {
    if (staged) await deps.images.discard(staged);
    throw error;
  }
  // After commit: a failed rename leaves the temp file, which the start-up sweep finishes.
  if (staged) await (stored ? deps.images.commit(staged) : deps.images.discard(staged));
  return stored;
}

/** Images are the only unbounded writes: refused, before anything is written, while the disk is nearly full. */
async function ensureRoomFor(png: Buffer, deps: ReceiveDeps): Promise<void> {
  const free = await deps.images.freeBytes();
  if (free - png.length < deps.minFreeDiskBytes) throw insufficientStorage(free, deps.minFreeDiskBytes);
}

/**
 * Writes the kit; with a shop, in one transaction with the shop's products, which are committed first. If
 * that transaction then fails, nothing is kept here, and the retry of the same delivery finds those products
 * again instead of creating them twice. Without a shop the kit is written by one atomic statement, which
 * concurrent deliveries may share.
 */
async function writeKit(deps: ReceiveDeps, { kit, png, kitUrl, log: logNow }: Arrival): Promise<KitSummary | null> {
  const { shop } = deps;
  const log = logNow();
  if (!shop) {
    const lineIds = await deps.kits.write({ kit, log });
    return lineIds && summaryOf(kit, { lineIds, products: new Map(), warnings: [] });
  }
  return deps.db.transaction(async (trx) => {
    const [lineIds] = await insertKits(trx, [{ kit, log }]);
    if (!lineIds) return null;
    const { lines, warnings } = await shop.adapter.publish({ draft: kit.draft, kitId: kit.id, deliveryHash: kit.deliveryHash, kitUrl, image: png });
    const products = new Map<number, ShopProduct>(lines.map(({ position, ...product }) => [position, product]));
    await insertLineProducts(trx, lines.map(({ position, ...product }) => ({ lineId: lineIds[position]!, ...product })));
    await appendKitWarnings(trx, kit.id, warnings);
    return summaryOf(kit, { lineIds, products, warnings });
  });
}
