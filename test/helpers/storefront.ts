import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { attributeWarnings, catalogAttributesXml, formatAttributes } from './nop-cart';
import { linePrices, readNopPricing } from './nop-tax';
import { placeOrder, type NopDatabase } from './nopcommerce';

/** How the stand-in shop answers add-to-cart of a product while it fails: as nopCommerce does when it cannot add. */
export type Failure = 'refuse' | 'redirect-to-product' | 'network' | 'server-error';

export interface StorefrontOptions {
  /** the theme's head, e.g. kitbridge's head snippet */
  head: string;
  /** nopCommerce 4.50+ checks an anti-forgery token on every POST; older shops have none */
  antiforgery?: boolean;
  /** nopCommerce's public.common.js provides displayBarNotification; a bare theme may not */
  barNotification?: boolean;
  /** ShoppingCartSettings.DisplayCartAfterAddingProduct: answer {redirect: "/cart"} after adding */
  displayCartAfterAdding?: boolean;
  /** the shopper's own choice when TaxSettings.AllowCustomersToSelectTaxDisplayType; else the shop's TaxDisplayType */
  customerIncludingTax?: boolean;
}

const CART_COOKIE = 'Nop.Customer';
const ANTIFORGERY_COOKIE = '.Nop.Antiforgery';

/** A cart line: nopCommerce keeps one per product and attributes XML, adding quantities to an equal line. */
interface CartLine {
  id: number;
  productId: number;
  quantity: number;
  attributesXml: string;
}
type Cart = Map<string, CartLine>;

/**
 * A small storefront that behaves like nopCommerce where the snippets and kit products touch it: the header
 * cart count and flyout cart, the notification bar, the anti-forgery token, AJAX add-to-cart answering with
 * nopCommerce's JSON shapes (docs/nopcommerce/ADD-TO-CART.md) and building the attributes XML of read-only
 * attributes as AddProductToCart_Catalog does (nop-cart.ts), the cart page with each line's attributes, a
 * checkout that places the order as nopCommerce records it, and the admin order view. It reads and writes a
 * real nopCommerce database. A stand-in KitBuilder global replaces the real bootstrapper.
 */
export async function startStorefront(nopDatabase: NopDatabase, options: StorefrontOptions) {
  const nop = nopDatabase.db;
  const { antiforgery = true, barNotification = true, displayCartAfterAdding = false, customerIncludingTax } = options;
  const carts = new Map<string, Cart>();
  const failures = new Map<number, Failure>();
  const adds: Array<{ productId: number; quantity: number; token: string | null; status: 'added' | 'failed' }> = [];
  const formToken = randomBytes(12).toString('hex');
  let nextLineId = 0;

  const cartOf = (req: http.IncomingMessage) => {
    const id = /Nop\.Customer=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    if (!carts.has(id)) carts.set(id, new Map());
    return carts.get(id)!;
  };
  const count = (cart: Cart) => [...cart.values()].reduce((sum, line) => sum + line.quantity, 0);
  const flyout = (cart: Cart) =>
    `<div id="flyout-cart" class="flyout-cart"><div class="count">There are <a href="/cart">${count(cart)} item(s)</a> in your cart.</div></div>`;

  async function addToCart(req: http.IncomingMessage, res: http.ServerResponse, productId: number, quantity: number) {
    const body = await readBody(req);
    const token = new URLSearchParams(body).get('__RequestVerificationToken');
    const record = (status: 'added' | 'failed') => adds.push({ productId, quantity, token, status });
    const json = (value: object) => {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(value));
    };
    // ASP.NET Core's antiforgery filter answers 400 before the action runs.
    if (antiforgery && (token !== formToken || !req.headers.cookie?.includes(`${ANTIFORGERY_COOKIE}=`))) {
      record('failed');
      res.statusCode = 400;
      return res.end();
    }
    const failure = failures.get(productId);
    if (failure) {
      record('failed');
      if (failure === 'network') return req.socket.destroy();
      if (failure === 'server-error') return void ((res.statusCode = 500), res.end('<h1>Error</h1>'));
      if (failure === 'redirect-to-product') return json({ redirect: `/product-${productId}` });
      return json({ success: false, message: ['The product is not available right now.'] });
    }
    const product = await nop('Product').where({ Id: productId }).first();
    if (!product) {
      record('failed');
      return json({ success: false, message: 'No product found with the specified ID' });
    }
    // The checks that redirect to the product page (a hidden product's page then redirects home).
    const toProductPage = () => (record('failed'), json({ redirect: `/product-${productId}` }));
    if (product.ProductTypeId !== 5 || product.OrderMinimumQuantity > quantity || product.CustomerEntersPrice || product.IsRental) {
      return toProductPage();
    }
    if ((product.AllowedQuantities ?? '').trim()) return toProductPage();
    const attributes = await catalogAttributesXml(nop, productId);
    if ('redirect' in attributes) return toProductPage();
    // Standard warnings, answered as such. The controller looks for a cart item of the product *without*
    // attributes (FindShoppingCartItemInTheCartAsync(cart, cartType, product), l. 627-631), which a kit line,
    // whose roster is its attributes, never is: it validates the quantity asked for alone.
    const cart = cartOf(req);
    const plain = cart.get(`${productId}|`);
    const warnings = standardWarnings(product, (plain?.quantity ?? 0) + quantity);
    if (warnings.length > 0) {
      record('failed');
      return json({ success: false, message: warnings });
    }
    // AddToCartAsync validates the attributes and merges an equal item, validating the summed quantity; any
    // warning is answered with a redirect to the product page (l. 647-659), the maximum quantity's too.
    if ((await attributeWarnings(nop, productId, attributes.xml)).length > 0) return toProductPage();
    const key = `${productId}|${attributes.xml}`;
    const line = cart.get(key) ?? { id: (nextLineId += 1), productId, quantity: 0, attributesXml: attributes.xml };
    if (standardWarnings(product, line.quantity + quantity).length > 0) return toProductPage();
    line.quantity += quantity;
    cart.set(key, line);
    record('added');
    if (displayCartAfterAdding) return json({ redirect: '/cart' });
    json({
      success: true,
      message: 'The product has been added to your <a href="/cart">shopping cart</a>',
      updatetopcartsectionhtml: `(${count(cart)})`,
      updateflyoutcartsectionhtml: flyout(cart),
    });
  }

  const page = (cart: Cart, main: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Test shop</title>
${barNotification ? BAR_NOTIFICATION_SCRIPT : ''}
${options.head}
</head><body>
<div class="header-links"><a href="/cart" class="ico-cart"><span class="cart-label">Shopping cart</span><span class="cart-qty">(${count(cart)})</span></a></div>
${flyout(cart)}
<div id="bar-notification" class="bar-notification-container"></div>
${main}
${antiforgery ? `<input name="__RequestVerificationToken" type="hidden" value="${formToken}">` : ''}
</body></html>`;

  /**
   * The cart page (ShoppingCartModelFactory, Views/ShoppingCart/_CartItem): each line's name linking to the
   * product's SEO URL, unit price and total in the shopper's tax display type (nop-tax.ts), quantity, formatted
   * attributes (@Html.Raw), and the warnings of a refused quantity change.
   */
  async function cartPage(cart: Cart, warnings = new Map<number, string[]>()): Promise<string> {
    const pricing = await readNopPricing(nop);
    const rows: string[] = [];
    for (const line of cart.values()) {
      const product = await nop('Product').where({ Id: line.productId }).first();
      const slug = (await nop('UrlRecord').where({ EntityName: 'Product', EntityId: line.productId, IsActive: true }).first('Slug'))?.Slug ?? '';
      const { shown } = linePrices(product, line.quantity, pricing, customerIncludingTax ?? pricing.includingTax);
      const info = await formatAttributes(nop, line.attributesXml);
      const refused = (warnings.get(line.id) ?? []).map((w) => `<div class="message-error">${escape(w)}</div>`).join('');
      rows.push(
        `<li data-product-id="${line.productId}"><a href="/${slug}" class="product-name">${escape(product.Name)}</a> ` +
          `<span class="product-unit-price">${shown.unit}</span> <input name="itemquantity${line.id}" class="qty" value="${line.quantity}"> ` +
          `<span class="product-subtotal">${shown.line}</span><div class="attributes">${info}</div>${refused}</li>`,
      );
    }
    return `<h1>Shopping cart</h1><ul class="cart">${rows.join('')}</ul><form method="post" action="/checkout"><button>Checkout</button></form>`;
  }

  /** "Update shopping cart" (ShoppingCartController.UpdateCart -> UpdateShoppingCartItemAsync): each changed quantity is checked again. */
  async function updateCart(cart: Cart, changes: URLSearchParams): Promise<Map<number, string[]>> {
    const warnings = new Map<number, string[]>();
    for (const [key, line] of [...cart.entries()]) {
      const asked = changes.get(`itemquantity${line.id}`);
      if (asked === null || Number(asked) === line.quantity) continue;
      const quantity = Number(asked);
      if (quantity <= 0) {
        cart.delete(key);
        continue;
      }
      const product = await nop('Product').where({ Id: line.productId }).first();
      const refused = standardWarnings(product, quantity);
      if (refused.length > 0) warnings.set(line.id, refused);
      else line.quantity = quantity;
    }
    return warnings;
  }

  /** Checkout: the order as OrderProcessingService records it; each line's attributes formatted into AttributeDescription. */
  async function checkout(cart: Cart): Promise<number> {
    const pricing = await readNopPricing(nop);
    const lines = [];
    for (const line of cart.values()) {
      const product = await nop('Product').where({ Id: line.productId }).first();
      const { inclTax, exclTax } = linePrices(product, line.quantity, pricing);
      lines.push({
        productId: line.productId,
        quantity: line.quantity,
        unitPrice: String(product.Price),
        prices: { unitInclTax: inclTax.unit, unitExclTax: exclTax.unit, lineInclTax: inclTax.line, lineExclTax: exclTax.line },
        attributesXml: line.attributesXml,
        attributeDescription: await formatAttributes(nop, line.attributesXml),
      });
    }
    cart.clear();
    return placeOrder(nopDatabase, lines);
  }

  /** Admin > Sales > Orders > Edit, the products table (_OrderDetails.Products.cshtml): name, attribute info (@Html.Raw), SKU, price, quantity. */
  async function adminOrderPage(orderId: number): Promise<string> {
    const order = await nop('Order').where({ Id: orderId }).first();
    const items = await nop('OrderItem').where({ OrderId: orderId }).orderBy('Id');
    const rows: string[] = [];
    for (const item of items) {
      const product = await nop('Product').where({ Id: item.ProductId }).first();
      rows.push(
        `<tr><td class="product"><a href="#">${escape(product.Name)}</a><div class="attributes">${item.AttributeDescription ?? ''}</div>` +
          `<p class="sku"><strong>SKU:</strong> ${escape(product.Sku ?? '')}</p></td>` +
          `<td>${Number(item.UnitPriceInclTax).toFixed(2)}</td><td>${item.Quantity}</td><td>${Number(item.PriceInclTax).toFixed(2)}</td></tr>`,
      );
    }
    return `<!doctype html><html><head><meta charset="utf-8"><title>Order #${escape(order.CustomOrderNumber)}</title><style>${ADMIN_STYLE}</style></head>
<body><h1>Edit order details - ${escape(order.CustomOrderNumber)}</h1><div class="card"><h2>Products</h2>
<table class="products"><thead><tr><th>Product name</th><th>Price</th><th>Quantity</th><th>Total</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></body></html>`;
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://shop');
    const add = /^\/addproducttocart\/catalog\/(\d+)\/1\/(\d+)$/.exec(url.pathname);
    if (req.method === 'POST' && add) return void addToCart(req, res, Number(add[1]), Number(add[2]));
    const cookies = [`${CART_COOKIE}=${randomBytes(8).toString('hex')}; Path=/`];
    if (antiforgery) cookies.push(`${ANTIFORGERY_COOKIE}=${randomBytes(8).toString('hex')}; Path=/; HttpOnly`);
    if (!req.headers.cookie?.includes(CART_COOKIE)) res.setHeader('Set-Cookie', cookies);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (url.pathname === '/kitbuilder-standin.js') {
      res.setHeader('Content-Type', 'text/javascript');
      return res.end(KIT_BUILDER_STANDIN);
    }
    const cart = cartOf(req);
    const fail = (error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    };
    if (url.pathname === '/cart' && req.method === 'POST') {
      return void readBody(req)
        .then((body) => updateCart(cart, new URLSearchParams(body)))
        .then((warnings) => cartPage(cart, warnings))
        .then((main) => res.end(page(cart, main)), fail);
    }
    if (url.pathname === '/cart') return void cartPage(cart).then((main) => res.end(page(cart, main)), fail);
    if (url.pathname === '/checkout' && req.method === 'POST') {
      return void checkout(cart).then((orderId) => {
        res.statusCode = 303;
        res.setHeader('Location', `/admin/order/edit/${orderId}`);
        res.end();
      }, fail);
    }
    const order = /^\/admin\/order\/edit\/(\d+)$/.exec(url.pathname);
    if (order) return void adminOrderPage(Number(order[1])).then((html) => res.end(html), fail);
    if (url.pathname === '/') {
      return res.end(page(cart, `<div id="kitBuilder"></div><script src="/kitbuilder-standin.js" async></script>`));
    }
    res.statusCode = 404;
    res.end('not found');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    adds,
    /** the one cart the test's browser session fills: product id -> quantity */
    cart: () => {
      const lines = [...carts.values()].flatMap((cart) => [...cart.values()]);
      const quantities = new Map<number, number>();
      for (const line of lines) quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
      return Object.fromEntries(quantities);
    },
    /** every cart line with its attributes XML, as nopCommerce's ShoppingCartItem rows would hold them */
    lines: () => [...carts.values()].flatMap((cart) => [...cart.values()]),
    /** Every add of the product fails this way until `heal` (browsers retry a POST whose connection dropped). */
    fail: (productId: number, failure: Failure) => failures.set(productId, failure),
    heal: (productId: number) => failures.delete(productId),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const readBody = (req: http.IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
  });

/**
 * ShoppingCartService.GetStandardWarningsAsync (l. 327-551), the checks a kit product can meet; the texts are
 * nopCommerce's resources (ShoppingCart.ProductDeleted, .ProductUnpublished, .BuyingDisabled, .MinimumQuantity,
 * .MaximumQuantity).
 */
function standardWarnings(product: Record<string, any>, quantity: number): string[] {
  if (product.Deleted) return ['Product is deleted'];
  if (!product.Published) return ['Product is not published'];
  const warnings: string[] = [];
  if (product.DisableBuyButton) warnings.push('Buying is disabled for this product');
  if (quantity < product.OrderMinimumQuantity) warnings.push(`The minimum quantity allowed for purchase is ${product.OrderMinimumQuantity}.`);
  if (quantity > product.OrderMaximumQuantity) warnings.push(`The maximum quantity allowed for purchase is ${product.OrderMaximumQuantity}.`);
  return warnings;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Enough of nopCommerce's admin look for a readable screenshot. */
const ADMIN_STYLE = `body{font:14px/1.5 "Source Sans Pro",Arial,sans-serif;background:#f4f6f9;margin:24px;color:#212529}
h1{font-size:22px;font-weight:400}.card{background:#fff;border-top:3px solid #3c8dbc;padding:12px 16px;max-width:900px}
h2{font-size:16px;margin:0 0 8px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #dee2e6;padding:8px;vertical-align:top;text-align:left}
th{background:#f9f9f9}.attributes{margin-top:6px;color:#555}.sku{margin:6px 0 0}`;

/** Stands in for Kit Builder's bootstrapper: records init and lets the test press its buttons. */
const KIT_BUILDER_STANDIN = `
window.KitBuilder = {
  inits: [],
  init: function (selector, options) { window.KitBuilder.inits.push({ selector: selector, options: options }); },
  press: function (button, content) {
    var callbacks = window.KitBuilder.inits[0].options.customCallbacks;
    var callback = button === 'buyNow' ? callbacks.webhookBuyNowCallback : callbacks.webhookAddSingleItemToCartCallback;
    return callback({ content: content });
  }
};
document.dispatchEvent(new Event('KitBuilderLoaded'));
`;

/** nopCommerce's bar notification (public.common.js), reduced to what a shopper sees. */
const BAR_NOTIFICATION_SCRIPT = `<script>
function displayBarNotification(message, messagetype, timeout) {
  var messages = typeof message === 'string' ? [message] : message;
  var bar = document.getElementById('bar-notification');
  bar.innerHTML = '<div class="bar-notification ' + messagetype + '">' +
    messages.map(function (m) { return '<p class="content">' + m + '</p>'; }).join('') + '</div>';
}
</script>`;
