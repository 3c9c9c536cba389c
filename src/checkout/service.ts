import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { findKit, findKitIdByDeliveryHash, findLines, insertKit } from '../catalog/kits';
import { AppError } from '../http/errors';
import { decodePng } from '../images/png';
import type { ImageStore, StagedImage } from '../images/store';
import { buildKit } from './build';
import { invalidImage, invalidPayload } from './errors';
import { imagePath, kitPath, type ProductLink } from './link';
import { deliverySchema } from './schema';

export interface CheckoutDeps {
  db: Knex;
  images: ImageStore;
  maxImageBytes: number;
  currency?: string;
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
        const inserted = await insertKit(trx, { id: kitId, deliveryHash, draft, image: staged });
        if (!inserted) kitId = (await findKitIdByDeliveryHash(trx, deliveryHash))!;
        return inserted;
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
