import { promises as fs } from 'node:fs';
import type { Knex } from 'knex';
import type { LineDraft } from '../kits/draft';
import type { ShopDatabase } from './connection';
import { shopFailure } from './errors';
import type { Publication, Published, PublishedLine, PublishInput } from './publication';
import { readShopSettings, toBaseWeight } from './settings';
import { lineSlug } from './slug';
import { bmpScrubber } from './text';
import { findOrCreateRosterAttribute, insertPicture, insertProduct } from './writes';

const PICTURE_NOT_WRITTEN =
  'The picture was not written to nopCommerce: the shop keeps pictures on disk and NOPCOMMERCE_PICTURE_DIR is not set.';

/** Creates (or, for a retried delivery, finds) one nopCommerce product per line, in one nopCommerce transaction. */
export async function publish(shop: ShopDatabase, input: PublishInput): Promise<Published> {
  let publication: Publication | undefined;
  try {
    publication = await enter(shop, input);
    const lines = await writeLines(shop, publication);
    return { lines, warnings: warningsOf(publication) };
  } catch (error) {
    if (publication) await Promise.all(publication.files.map((file) => fs.rm(file, { force: true })));
    shop.forgetSchema();
    throw shopFailure(shop.dialect, error);
  }
}

/** The delivery's publication: the shop's schema, settings and text rules, its weight, the shared roster attribute. */
async function enter(shop: ShopDatabase, input: PublishInput): Promise<Publication> {
  const nop = await shop.schema();
  const settings = await readShopSettings(shop.db, shop.settings.storeId);
  return {
    ...input,
    nop,
    shop: settings,
    text: bmpScrubber(nop.bmpOnly),
    weight: toBaseWeight(input.draft.unitWeight ?? 0, shop.settings.weightUnit ?? 'kg', settings),
    rosterAttributeId: await findOrCreateRosterAttribute(shop),
    writesPicture: Boolean(input.image && (nop.picturesInDatabase || shop.settings.pictureDir)),
    files: [],
  };
}

const warningsOf = (p: Publication): string[] => [...(p.image && !p.writesPicture ? [PICTURE_NOT_WRITTEN] : []), ...p.text.warnings()];

/** Every line's product, in one transaction; two attempts at the same delivery (a retry racing a slow first try) take turns. */
function writeLines(shop: ShopDatabase, p: Publication): Promise<PublishedLine[]> {
  return shop.dialect.lockedTransaction(shop.db, `kitbridge:${p.deliveryHash}`, async (trx) => {
    // One picture for all of the kit's products, written with the first of them.
    let pictureId: Promise<number> | undefined;
    const picture = () => (pictureId ??= insertPicture(shop, trx, p));
    const published: PublishedLine[] = [];
    for (const line of p.draft.lines) published.push(await publishLine(shop, trx, p, line, picture));
    return published;
  });
}

async function publishLine(
  shop: ShopDatabase,
  trx: Knex.Transaction,
  p: Publication,
  line: LineDraft,
  picture: () => Promise<number>,
): Promise<PublishedLine> {
  // A retry finds the earlier attempt's products by this slug (it assumes the shop's SEO settings did not change meanwhile).
  const slug = lineSlug(p.draft.name, line.size, p.deliveryHash, line.position, { seo: p.shop.seo, version: p.nop.version });
  const existing = await trx('UrlRecord').where({ EntityName: 'Product', Slug: slug }).first('EntityId');
  if (existing) return { position: line.position, productId: Number(existing.EntityId), slug };
  const productId = await insertProduct(shop, trx, p, line, slug);
  if (p.writesPicture) {
    await trx('Product_Picture_Mapping').insert({ PictureId: await picture(), ProductId: productId, DisplayOrder: 0 });
  }
  return { position: line.position, productId, slug };
}
