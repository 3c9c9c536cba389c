const MAX_SLUG = 200;

/** Lower-case ASCII words joined by hyphens, as nopCommerce's SEO names look. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The slug of a line's product: readable (kit name and size) and unique by construction, because it ends with
 * the delivery's hash and the line's position. Being deterministic, it is also how a retried delivery finds
 * the products an earlier attempt already committed in nopCommerce.
 */
export function lineSlug(kitName: string, size: string, deliveryHash: string, position: number): string {
  const suffix = `-${deliveryHash.slice(0, 16)}-${position + 1}`;
  const words = slugify(`${kitName} ${size}`).slice(0, MAX_SLUG - suffix.length).replace(/-+$/, '');
  return `${words || 'kit'}${suffix}`;
}
