import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { appendKitWarnings, findDeliveredKits, insertKits, insertLineNopProducts, type KitLookup, type KitSummary, type KitWrite, type NewKit } from '../kits/store';
import { createBatcher } from '../db/batcher';
import type { CatalogAdapter, PublishedLine } from '../nopcommerce/adapter';
import { successLog, type Sender, type SuccessLog } from '../deliveries/store';
import { parseJson } from '../http/body';
import { classify } from '../http/classify';
import { AppError } from '../http/errors';
import { decodePng } from '../images/png';
import type { ImageStore, StagedImage } from '../images/store';
import { sha256Hex } from '../shared/hash';
import { formatMinor } from '../shared/money';
import { buildKit } from './build';
import { invalidImage, invalidPayload } from './errors';
import { addToCartPath, imagePath, kitPath, type ProductLink } from './link';
import { deliverySchema } from './schema';

export interface CheckoutDeps {
  db: Knex;
  images: ImageStore;
  maxImageBytes: number;
  currency?: string;
  /** the shop's catalog to publish kits into, and the base of its URLs ('' = root-relative) */
  catalog?: { adapter: CatalogAdapter; shopBaseUrl: string };
}

export interface Receipt {
  link: ProductLink;
  /** false when the delivery had been received before and this is the first answer again */
  created: boolean;
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;

/** What writing a new kit produced. */
interface Written {
  lineIds: string[];
  published: PublishedLine[];
  warnings: string[];
}

/** A random, URL-safe public id: kit pages show a team roster, so they must not be enumerable. */
const newKitId = () => randomBytes(16).toString('base64url');

export function createCheckoutService(deps: CheckoutDeps) {
  const { db, images } = deps;
  // Concurrent deliveries share lookups and, without a catalog, writes (with one, each kit has its own
  // transaction). Without a database every delivery of a batch fails alike: no retrying them one by one.
  const batching = { sharedFailure: (error: unknown) => classify(error).code === 'database-unavailable' };
  const findKit = createBatcher((lookups: KitLookup[]) => findDeliveredKits(db, lookups), batching);
  const writeKit = createBatcher((writes: KitWrite[]) => insertKits(db, writes), batching);
  const shopBaseUrl = deps.catalog?.shopBaseUrl;

  function toLink(kit: KitSummary, baseUrl: string): ProductLink {
    const url = baseUrl + kitPath(kit.id);
    return {
      id: kit.id,
      url,
      imageUrl: kit.imageName ? baseUrl + imagePath(kit.imageName) : null,
      name: kit.name,
      quantity: kit.quantity,
      total: kit.total,
      ...(deps.currency ? { currency: deps.currency } : {}),
      lines: kit.lines.map((line) => ({
        id: line.id,
        size: line.size,
        sku: line.sku,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        taxExempt: line.taxExempt,
        url: `${url}#line-${line.id}`,
        ...(line.nop && shopBaseUrl !== undefined
          ? {
              nopProductId: line.nop.productId,
              productUrl: `${shopBaseUrl}/${line.nop.slug}`,
              addToCartUrl: shopBaseUrl + addToCartPath(line.nop.productId, line.quantity),
            }
          : {}),
      })),
      warnings: kit.warnings,
    };
  }

  /** The kit as the database would give it back, from what was just written: no second read. */
  function summaryOf(kit: NewKit, written: Written): KitSummary {
    const { draft, image } = kit;
    return {
      id: kit.id,
      name: draft.name,
      quantity: draft.quantity,
      total: formatMinor(draft.total),
      imageName: image?.name ?? null,
      warnings: [...draft.warnings, ...written.warnings],
      lines: draft.lines.map((line, i) => {
        const nop = written.published.find((p) => p.position === line.position);
        return {
          id: written.lineIds[i]!,
          size: line.size,
          sku: line.sku,
          quantity: line.quantity,
          unitPrice: formatMinor(line.unitPrice),
          taxExempt: line.taxExempt,
          nop: nop ? { productId: nop.nopProductId, slug: nop.slug } : null,
        };
      }),
    };
  }

  /**
   * Writes the kit; with a catalog, in one transaction with the shop's products, which are committed first. If
   * that transaction then fails, nothing is kept here, and the retry of the same delivery finds those products
   * again instead of creating them twice. Without a catalog the kit is written by one atomic statement, which
   * concurrent deliveries may share.
   */
  async function write(kit: NewKit, log: SuccessLog, forCatalog: { baseUrl: string; png: Buffer | null }) {
    const catalog = deps.catalog;
    if (!catalog) {
      const lineIds = await writeKit({ kit, log });
      return lineIds && { lineIds, published: [], warnings: [] };
    }
    return db.transaction(async (trx): Promise<Written | null> => {
      const [lineIds] = await insertKits(trx, [{ kit, log }]);
      if (!lineIds) return null;
      const { lines: published, warnings } = await catalog.adapter.publish({
        draft: kit.draft,
        deliveryHash: kit.deliveryHash,
        kitUrl: forCatalog.baseUrl + kitPath(kit.id),
        image: forCatalog.png,
      });
      await insertLineNopProducts(trx, published.map((line) => ({ lineId: lineIds[line.position]!, ...line })));
      await appendKitWarnings(trx, kit.id, warnings);
      return { lineIds, published, warnings };
    });
  }

  /**
   * Receives one delivery: the body's bytes as they arrived. The same bytes always yield the same kit, however
   * often and however concurrently they arrive; a repeat is answered without parsing them again.
   * A receipt means the delivery is in the delivery log too, written with the kit (or with finding it).
   */
  async function receive(raw: Buffer, baseUrl: string, sender: Sender): Promise<Receipt> {
    const deliveryHash = await sha256Hex(raw);
    // Each write logs the delivery with the time it took until then.
    const log = () => successLog(sender, raw.length, deliveryHash);
    const existing = await findKit({ deliveryHash, log: log() });
    if (existing) return { link: toLink(existing, baseUrl), created: false };

    const parsed = deliverySchema.safeParse(parseJson(raw));
    if (!parsed.success) throw invalidPayload(parsed.error);
    const draft = buildKit(parsed.data);

    const mainImage = parsed.data.SingleItemCheckout.MainImage;
    const png = mainImage === null ? null : decodePng(mainImage, deps.maxImageBytes);
    if (png && 'reason' in png) throw invalidImage(png.reason);

    const staged: StagedImage | null = png ? await images.stage(png.bytes) : null;
    const kit: NewKit = { id: newKitId(), deliveryHash, draft, image: staged };
    let written: Written | null;
    try {
      written = await write(kit, log(), { baseUrl, png: png?.bytes ?? null });
    } catch (error) {
      if (staged) await images.discard(staged);
      throw error;
    }
    // After commit: a failed rename leaves the temp file, which the start-up sweep finishes.
    if (staged) await (written ? images.commit(staged) : images.discard(staged));
    if (written) return { link: toLink(summaryOf(kit, written), baseUrl), created: true };
    // A concurrent duplicate committed first: answer with its kit.
    const winner = await findKit({ deliveryHash, log: log() });
    if (!winner) throw new AppError('internal', 'a concurrent duplicate vanished');
    return { link: toLink(winner, baseUrl), created: false };
  }

  return { receive };
}
