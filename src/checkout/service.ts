import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import {
  appendKitWarnings,
  findKit,
  findKitIdByDeliveryHash,
  findLines,
  insertKit,
  insertLineNopProducts,
} from '../catalog/kits';
import type { CatalogAdapter } from '../catalog/nopcommerce/adapter';
import { AppError } from '../http/errors';
import { decodePng } from '../images/png';
import type { ImageStore, StagedImage } from '../images/store';
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

/** A random, URL-safe public id: kit pages show a team roster, so they must not be enumerable. */
const newKitId = () => randomBytes(16).toString('base64url');

export function createCheckoutService(deps: CheckoutDeps) {
  const { db, images } = deps;
  const shopBaseUrl = deps.catalog?.shopBaseUrl;

  async function productLink(kitId: string, baseUrl: string): Promise<ProductLink> {
    const [kit, lines] = await Promise.all([findKit(db, kitId), findLines(db, kitId)]);
    if (!kit) throw new AppError('internal', `kit ${kitId} vanished`);
    const url = baseUrl + kitPath(kit.id);
    return {
      id: kit.id,
      url,
      imageUrl: kit.imageName ? baseUrl + imagePath(kit.imageName) : null,
      name: kit.name,
      quantity: kit.quantity,
      total: kit.total,
      ...(deps.currency ? { currency: deps.currency } : {}),
      lines: lines.map((line) => ({
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

  /**
   * Receives one delivery: the raw body as it arrived and its parsed JSON.
   * The same raw body always yields the same kit, however often and however concurrently it arrives.
   */
  async function receive(rawBody: string, body: unknown, baseUrl: string): Promise<Receipt> {
    const deliveryHash = createHash('sha256').update(rawBody).digest('hex');
    const existing = await findKitIdByDeliveryHash(db, deliveryHash);
    if (existing) return { link: await productLink(existing, baseUrl), created: false };

    const parsed = deliverySchema.safeParse(body);
    if (!parsed.success) throw invalidPayload(parsed.error);
    const draft = buildKit(parsed.data);

    const mainImage = parsed.data.SingleItemCheckout.MainImage;
    const png = mainImage === null ? null : decodePng(mainImage, deps.maxImageBytes);
    if (png && 'reason' in png) throw invalidImage(png.reason);

    const staged: StagedImage | null = png ? await images.stage(png.bytes) : null;
    let kitId = newKitId();
    let created: boolean;
    try {
      created = await db.transaction(async (trx) => {
        const lineIds = await insertKit(trx, { id: kitId, deliveryHash, draft, image: staged });
        if (!lineIds) {
          kitId = (await findKitIdByDeliveryHash(trx, deliveryHash))!;
          return false;
        }
        if (deps.catalog) {
          // The shop's products are committed first. If this transaction then fails, nothing is kept here,
          // and the retry of the same delivery finds those products again instead of creating them twice.
          const published = await deps.catalog.adapter.publish({
            draft,
            deliveryHash,
            kitUrl: baseUrl + kitPath(kitId),
            image: png && 'bytes' in png ? png.bytes : null,
          });
          await insertLineNopProducts(
            trx,
            published.lines.map((line) => ({ lineId: lineIds[line.position]!, ...line })),
          );
          await appendKitWarnings(trx, kitId, published.warnings);
        }
        return true;
      });
    } catch (error) {
      if (staged) await images.discard(staged);
      throw error;
    }
    // After commit: a failed rename leaves the temp file, which the start-up sweep finishes.
    if (staged) await (created ? images.commit(staged) : images.discard(staged));
    return { link: await productLink(kitId, baseUrl), created };
  }

  return { receive, productLink };
}
