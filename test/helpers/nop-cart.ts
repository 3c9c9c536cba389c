import type { Knex } from 'knex';

/**
 * What nopCommerce does with a product's attributes between the catalog add-to-cart route and the order, as
 * read in its source (research notes §1-§2): ShoppingCartController.AddProductToCart_Catalog,
 * ProductAttributeParser.AddProductAttribute, ShoppingCartService.GetShoppingCartItemAttributeWarningsAsync,
 * ProductAttributeFormatter.FormatAttributesAsync and System.Net.WebUtility.HtmlEncode. The stand-in storefront
 * runs these against the real shop database.
 */

const READONLY_CHECKBOXES = 50;

/** System.Net.WebUtility.HtmlEncode (ENTITY_ENCODE_HIGH_ASCII_CHARS): Latin-1 and non-BMP characters as numeric entities. */
export function webUtilityHtmlEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x3c) out += '&lt;';
    else if (ch === 0x3e) out += '&gt;';
    else if (ch === 0x22) out += '&quot;';
    else if (ch === 0x27) out += '&#39;';
    else if (ch === 0x26) out += '&amp;';
    else if (ch >= 160 && ch < 256) out += `&#${ch};`;
    else if (ch >= 0xd800 && ch <= 0xdbff && i + 1 < text.length && /[\uDC00-\uDFFF]/.test(text[i + 1]!)) {
      out += `&#${text.codePointAt(i)};`;
      i += 1;
    } else if (ch >= 0xd800 && ch <= 0xdfff) out += '&#65533;'; // a lone surrogate
    else out += text[i];
  }
  return out;
}

/** ProductAttributeParser.AddProductAttribute without a quantity: XmlDocument.OuterXml, no declaration, no whitespace. */
export function addProductAttribute(attributesXml: string, mappingId: number, value: string): string {
  const element = `<ProductAttribute ID="${mappingId}">`;
  const valueXml = `<ProductAttributeValue><Value>${value}</Value></ProductAttributeValue>`;
  const xml = attributesXml || '<Attributes></Attributes>';
  const at = xml.indexOf(element);
  if (at >= 0) {
    const end = xml.indexOf('</ProductAttribute>', at);
    return xml.slice(0, end) + valueXml + xml.slice(end);
  }
  return xml.replace(/<\/Attributes>$/, `${element}${valueXml}</ProductAttribute></Attributes>`);
}

/** ProductAttributeParser.ParseProductAttributeValues: (mapping id, value ids) in document order. */
export function parseAttributesXml(attributesXml: string): Array<{ mappingId: number; valueIds: number[] }> {
  return [...attributesXml.matchAll(/<ProductAttribute ID="(\d+)">(.*?)<\/ProductAttribute>/g)].map((m) => ({
    mappingId: Number(m[1]),
    valueIds: [...m[2]!.matchAll(/<Value>(\d+)<\/Value>/g)].map((v) => Number(v[1])),
  }));
}

const mappingsOf = (db: Knex, productId: number) =>
  db('Product_ProductAttribute_Mapping').where({ ProductId: productId }).orderBy([{ column: 'DisplayOrder' }, { column: 'Id' }]);
const valuesOf = (db: Knex, mappingId: number) =>
  db('ProductAttributeValue').where({ ProductAttributeMappingId: mappingId }).orderBy([{ column: 'DisplayOrder' }, { column: 'Id' }]);

/**
 * AddProductToCart_Catalog's attribute step: a redirect to the product page if any mapping is not read-only
 * checkboxes, else the attributes XML built from every pre-selected value of every mapping, in nopCommerce's order.
 */
export async function catalogAttributesXml(db: Knex, productId: number): Promise<{ redirect: true } | { xml: string }> {
  const mappings = await mappingsOf(db, productId);
  if (mappings.some((m) => m.AttributeControlTypeId !== READONLY_CHECKBOXES)) return { redirect: true };
  let xml = '';
  for (const mapping of mappings) {
    for (const value of await valuesOf(db, mapping.Id)) {
      if (value.IsPreSelected) xml = addProductAttribute(xml, mapping.Id, String(value.Id));
    }
  }
  return { xml };
}

/** GetShoppingCartItemAttributeWarningsAsync, for the controls kit products can have; any warning makes the catalog route redirect. */
export async function attributeWarnings(db: Knex, productId: number, attributesXml: string): Promise<string[]> {
  const warnings: string[] = [];
  const selected = parseAttributesXml(attributesXml);
  for (const { mappingId } of selected) {
    const mapping = await db('Product_ProductAttribute_Mapping').where({ Id: mappingId }).first();
    if (!mapping || mapping.ProductId !== productId) warnings.push('Attribute error');
  }
  for (const mapping of await mappingsOf(db, productId)) {
    const values = await valuesOf(db, mapping.Id);
    const chosen = selected.filter((s) => s.mappingId === mapping.Id).flatMap((s) => s.valueIds);
    if (mapping.IsRequired && (chosen.length === 0 || (values.length > 0 && !values.some((v) => chosen.includes(v.Id))))) {
      warnings.push(mapping.TextPrompt || `Please select ${mapping.Id}`);
    }
    if (mapping.AttributeControlTypeId !== READONLY_CHECKBOXES) continue;
    const allowed = values.filter((v) => v.IsPreSelected).map((v) => v.Id);
    // CommonHelper.ArraysEqual: same length, same order.
    if (allowed.length !== chosen.length || allowed.some((id, i) => id !== chosen[i])) warnings.push('You cannot change read-only values');
  }
  return warnings;
}

/**
 * ProductAttributeFormatter.FormatAttributesAsync with its defaults (separator "<br />", htmlEncode, prices):
 * "<attribute name>: <value name>" per selected value, each HTML-encoded whole, in document order.
 */
export async function formatAttributes(db: Knex, attributesXml: string): Promise<string> {
  const parts: string[] = [];
  for (const { mappingId, valueIds } of parseAttributesXml(attributesXml)) {
    const mapping = await db('Product_ProductAttribute_Mapping').where({ Id: mappingId }).first();
    const attribute = await db('ProductAttribute').where({ Id: mapping.ProductAttributeId }).first();
    for (const valueId of valueIds) {
      const value = await db('ProductAttributeValue').where({ Id: valueId, ProductAttributeMappingId: mappingId }).first();
      if (!value) continue;
      // A price adjustment would add " [+$1.00]"; kit values have none, and this stand-in does not format prices.
      if (Number(value.PriceAdjustment) !== 0) throw new Error('price adjustments are not simulated');
      parts.push(webUtilityHtmlEncode(`${attribute.Name}: ${value.Name}`));
    }
  }
  return parts.join('<br />');
}

/**
 * An order line of `productId` as nopCommerce's checkout writes it after the catalog add-to-cart route: the
 * attributes XML of every pre-selected read-only value and, from it, the formatted AttributeDescription.
 */
export async function orderedLine(db: Knex, productId: number, quantity: number) {
  const attributes = await catalogAttributesXml(db, productId);
  if ('redirect' in attributes) throw new Error(`product ${productId} cannot be added from the catalog`);
  return { productId, quantity, attributesXml: attributes.xml, attributeDescription: await formatAttributes(db, attributes.xml) };
}
