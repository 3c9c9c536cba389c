import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Knex } from 'knex';

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
}

const CART_COOKIE = 'Nop.Customer';
const ANTIFORGERY_COOKIE = '.Nop.Antiforgery';

/**
 * A small storefront that behaves like nopCommerce where the snippets touch it: the header cart count and
 * flyout cart, the notification bar, the anti-forgery token, and AJAX add-to-cart answering with
 * nopCommerce's JSON shapes (docs/nopcommerce/ADD-TO-CART.md), checking products in a real nopCommerce
 * database. A stand-in KitBuilder global replaces the real bootstrapper.
 */
export async function startStorefront(nop: Knex, options: StorefrontOptions) {
  const { antiforgery = true, barNotification = true, displayCartAfterAdding = false } = options;
  const carts = new Map<string, Map<number, number>>();
  const failures = new Map<number, Failure>();
  const adds: Array<{ productId: number; quantity: number; token: string | null; status: 'added' | 'failed' }> = [];
  const formToken = randomBytes(12).toString('hex');

  const cartOf = (req: http.IncomingMessage) => {
    const id = /Nop\.Customer=([0-9a-f]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
    if (!carts.has(id)) carts.set(id, new Map());
    return carts.get(id)!;
  };
  const count = (cart: Map<number, number>) => [...cart.values()].reduce((a, b) => a + b, 0);
  const flyout = (cart: Map<number, number>) =>
    `<div id="flyout-cart" class="flyout-cart"><div class="count">There are <a href="/cart">${count(cart)} item(s)</a> in your cart.</div></div>`;

  async function addToCart(req: http.IncomingMessage, res: http.ServerResponse, productId: number, quantity: number) {
    const body = await new Promise<string>((resolve) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => resolve(text));
    });
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
    const product = await nop('Product').where({ Id: productId, Deleted: false }).first();
    if (!product) {
      record('failed');
      return json({ success: false, message: 'No product found with the specified ID' });
    }
    const cart = cartOf(req);
    const inCart = (cart.get(productId) ?? 0) + quantity;
    if (!product.Published || inCart > product.OrderMaximumQuantity || quantity < product.OrderMinimumQuantity) {
      record('failed');
      return json({ success: false, message: [`The maximum quantity allowed for purchase is ${product.OrderMaximumQuantity}.`] });
    }
    cart.set(productId, inCart);
    record('added');
    if (displayCartAfterAdding) return json({ redirect: '/cart' });
    json({
      success: true,
      message: 'The product has been added to your <a href="/cart">shopping cart</a>',
      updatetopcartsectionhtml: `(${count(cart)})`,
      updateflyoutcartsectionhtml: flyout(cart),
    });
  }

  const page = (cart: Map<number, number>, main: string) => `<!doctype html>
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
    if (url.pathname === '/cart') {
      const rows = [...cart].map(([id, qty]) => `<li data-product-id="${id}">${qty}</li>`).join('');
      return res.end(page(cart, `<h1>Shopping cart</h1><ul class="cart">${rows}</ul>`));
    }
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
      const filled = [...carts.values()].filter((cart) => cart.size > 0);
      return Object.fromEntries(filled.flatMap((cart) => [...cart]));
    },
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
