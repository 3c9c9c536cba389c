import { decodeHTML } from 'entities';
import { ROSTER_ATTRIBUTE } from './roster';

/**
 * What an order line says the shopper bought, read back from OrderItem.AttributeDescription. nopCommerce's
 * ProductAttributeFormatter.FormatAttributesAsync writes "<attribute name>: <value name>" per selected value,
 * HTML-encoded by System.Net.WebUtility.HtmlEncode (ø as &#248;, & as &amp;), joined by "<br />" (see
 * docs/nopcommerce/ and ../shared/nopcommerce/schema-orders.sql). A shop may add other attributes to a kit
 * product, whose text-box and file values it writes as HTML of their own (line breaks as <br />, a link).
 * kitbridge's roster is one read-only attribute (roster.ts): its first value names the kit, each other value
 * is one garment as `unitText` wrote it.
 */
export interface OrderedRoster {
  /** the kit the first roster value names ("Kit <id>: <url>"); null when the line carries none */
  kitId: string | null;
  /** the roster values after the kit's, as text, in the order nopCommerce stored them */
  values: string[];
  /** every other attribute of the line, as text ("Colour: Red"): the print room should see them */
  others: string[];
}

const BREAK = /<br\s*\/?>/i;
const TAG = /<[^>]*>/g;

/** nopCommerce localizes the attribute's name, so the kit's reference line says what the roster is called here. */
const KIT_REFERENCE = /^(.+?): Kit ([A-Za-z0-9_-]+): \S+$/;

export function orderedRoster(attributeDescription: string | null): OrderedRoster {
  const parts = (attributeDescription ?? '')
    .split(BREAK)
    .map((part) => decodeHTML(part.replace(TAG, '')).trim())
    .filter((part) => part !== '');
  const reference = parts.map((part) => KIT_REFERENCE.exec(part)).find((match) => match !== null);
  const prefix = `${reference?.[1] ?? ROSTER_ATTRIBUTE.Name}: `;
  const roster: OrderedRoster = { kitId: reference?.[2] ?? null, values: [], others: [] };
  for (const part of parts) {
    if (part === reference?.[0]) continue;
    if (part.startsWith(prefix)) roster.values.push(part.slice(prefix.length));
    else roster.others.push(part);
  }
  return roster;
}
