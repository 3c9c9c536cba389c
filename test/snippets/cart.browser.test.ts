/// <reference lib="dom" />
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { aDelivery } from '../factories/delivery';
import { launchBrowser } from '../helpers/browser';
import { startShopApp } from '../helpers/nopcommerce';
import { startStorefront, type Failure, type StorefrontOptions } from '../helpers/storefront';

const SCREENSHOTS = path.join(__dirname, '../../test-output/theme-snippets');

let kitbridge: Awaited<ReturnType<typeof startShopApp>>;
let browser: Browser;
let head: string;
beforeAll(async () => {
  // Root-relative cart URLs: the snippets run on the shop's own pages.
  [kitbridge, browser] = await Promise.all([startShopApp({ shopBaseUrl: '' }), launchBrowser()]);
  head = (await kitbridge.app.http().get('/theme-snippets/head.html').expect(200)).text;
  await fs.mkdir(SCREENSHOTS, { recursive: true });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await kitbridge?.close();
});

/** data.content as Kit Builder hands it over: kitbridge's answer to a real webhook POST, as text. */
async function kitContent(sizes = [{ Name: 'S', Quantity: 2 }, { Name: 'L', Quantity: 1 }]) {
  const response = await kitbridge.app.deliver(aDelivery({ sizes })).expect(200);
  const ids: number[] = response.body.lines.map((line: { nopProductId: number }) => line.nopProductId);
  return { content: response.text, ids };
}

let opened: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(opened.map((close) => close()));
  opened = [];
});

/** A fresh shopper on the stand-in storefront, with Kit Builder started by the head snippet. */
async function visitShop(options: Partial<StorefrontOptions> = {}) {
  const shop = await startStorefront(kitbridge.nop, { head, ...options });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  opened.push(async () => {
    await context.close();
    await shop.close();
  });
  await page.goto(`${shop.origin}/`);
  await page.waitForFunction(() => (window as any).KitBuilder?.inits.length > 0);
  return { shop, page, errors };
}

/** Presses Kit Builder's "Add to Cart" or "Buy Now": the snippet's callback receives data.content. */
const press = (page: Page, button: 'addToCart' | 'buyNow', content: string): Promise<boolean> =>
  page.evaluate(([b, c]) => (window as any).KitBuilder.press(b, c), [button, content] as const);

const notification = (page: Page) => page.locator('#bar-notification').innerText();
const addsOf = (adds: Array<{ productId: number; status: string }>, productId: number) =>
  adds.filter((add) => add.productId === productId && add.status === 'added').length;

it('Add to Cart puts every line into the cart with the anti-forgery token, then updates the header, flyout and bar', async () => {
  const { shop, page, errors } = await visitShop();
  const { content, ids } = await kitContent();

  expect(await press(page, 'addToCart', content)).toBe(true);

  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
  expect(shop.adds.map((add) => add.token)).toEqual([expect.stringMatching(/^[0-9a-f]{24}$/), expect.any(String)]);
  await expect(page.locator('.header-links .cart-qty').innerText()).resolves.toBe('(3)');
  await expect(page.locator('#flyout-cart').innerText()).resolves.toContain('There are 3 item(s) in your cart.');
  await expect(notification(page)).resolves.toContain('The product has been added to your shopping cart');
  expect(page.url()).toBe(`${shop.origin}/`);
  expect(errors).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'added-to-cart.png'), fullPage: true });
});

it('Buy Now goes to the cart once every line is in', async () => {
  const { shop, page } = await visitShop();
  const { content, ids } = await kitContent();
  const arrived = page.waitForURL(`${shop.origin}/cart`);
  await press(page, 'buyNow', content).catch(() => undefined); // the navigation may end the evaluation
  await arrived;
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
  await expect(page.locator('ul.cart li').count()).resolves.toBe(2);
});

it('initialises Kit Builder once on #kitBuilder with the settings, adding one global, even when included twice', async () => {
  const { page } = await visitShop({ head: head + head });
  const inits = await page.evaluate(() =>
    (window as any).KitBuilder.inits.map((init: any) => ({ selector: init.selector, ...init.options, customCallbacks: Object.keys(init.options.customCallbacks) })),
  );
  expect(inits).toEqual([
    {
      selector: '#kitBuilder',
      currencySymbol: 'kr',
      currencySymbolAfter: '',
      currencyFraction: 2,
      currencyRate: 1,
      cartItemPricingMethod: 'AggregatePricing',
      customCallbacks: ['webhookAddSingleItemToCartCallback', 'webhookBuyNowCallback'],
    },
  ]);
  const globals = await page.evaluate(() => {
    const blank = document.createElement('iframe');
    document.body.appendChild(blank);
    const builtIn = new Set(Object.keys(blank.contentWindow!));
    return Object.keys(window).filter((name) => !builtIn.has(name) && !/^\d+$/.test(name)); // not the iframe itself
  });
  // KitBuilder is the stand-in's and displayBarNotification the shop's: the snippet adds only KitBridge.
  expect(globals.sort()).toEqual(['KitBridge', 'KitBuilder', 'displayBarNotification']);
});

it('shows the shop’s reason when a line is refused, and pressing again adds only the missing line', async () => {
  const { shop, page } = await visitShop();
  const { content, ids } = await kitContent();
  shop.fail(ids[1]!, 'refuse');

  expect(await press(page, 'addToCart', content)).toBe(false);
  await expect(notification(page)).resolves.toContain('The product is not available right now.');
  expect(shop.cart()).toEqual({ [ids[0]!]: 2 });

  shop.heal(ids[1]!);
  expect(await press(page, 'addToCart', content)).toBe(true);
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
  expect(addsOf(shop.adds, ids[0]!)).toBe(1);
});

it.each<[Failure, RegExp]>([
  ['network', /could not be reached/],
  ['server-error', /answered 500/],
  ['redirect-to-product', /cannot add this item from here/],
])('a line that fails by %s shows a message, adds nothing twice and leaves the page usable', async (failure, message) => {
  const { shop, page, errors } = await visitShop();
  const { content, ids } = await kitContent([{ Name: 'S', Quantity: 1 }, { Name: 'M', Quantity: 1 }, { Name: 'L', Quantity: 1 }]);
  shop.fail(ids[1]!, failure);

  expect(await press(page, 'addToCart', content)).toBe(false);
  await expect(notification(page)).resolves.toMatch(message);
  expect(shop.cart()).toEqual({ [ids[0]!]: 1 }); // the line after the failed one was not tried

  shop.heal(ids[1]!);
  expect(await press(page, 'addToCart', content)).toBe(true);
  expect(shop.cart()).toEqual({ [ids[0]!]: 1, [ids[1]!]: 1, [ids[2]!]: 1 });
  expect(ids.map((id) => addsOf(shop.adds, id))).toEqual([1, 1, 1]);
  expect(errors).toEqual([]);
});

it('two quick presses add each line once', async () => {
  const { shop, page } = await visitShop();
  const { content, ids } = await kitContent();
  const results = await page.evaluate(
    (c) => Promise.all([(window as any).KitBuilder.press('addToCart', c), (window as any).KitBuilder.press('addToCart', c)]),
    content,
  );
  expect(results).toEqual([true, true]);
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
  expect(shop.adds).toHaveLength(2);
});

it('says a kit added again after a reload is already in the cart, and adds nothing twice', async () => {
  const { shop, page, errors } = await visitShop();
  const { content, ids } = await kitContent();
  expect(await press(page, 'addToCart', content)).toBe(true);

  await page.reload();
  await page.waitForFunction(() => (window as any).KitBuilder?.inits.length > 0);
  expect(await press(page, 'addToCart', content)).toBe(true);

  await expect(notification(page)).resolves.toBe('This kit is already in your shopping cart.');
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
  // nopCommerce refused both merges (their summed quantity is above the line's), behind its redirect.
  expect(shop.adds.map((add) => add.status)).toEqual(['added', 'added', 'failed', 'failed']);
  expect(errors).toEqual([]);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'already-in-cart.png'), fullPage: true });
});

it('completes a half-added kit after a reload: the lines in the cart are skipped, the missing one is added', async () => {
  const { shop, page } = await visitShop();
  const { content, ids } = await kitContent([{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 3 }, { Name: 'L', Quantity: 1 }]);
  shop.fail(ids[1]!, 'refuse');
  expect(await press(page, 'addToCart', content)).toBe(false);
  expect(shop.cart()).toEqual({ [ids[0]!]: 2 });

  shop.heal(ids[1]!);
  await page.reload();
  await page.waitForFunction(() => (window as any).KitBuilder?.inits.length > 0);
  expect(await press(page, 'addToCart', content)).toBe(true);

  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 3, [ids[2]!]: 1 });
  await expect(notification(page)).resolves.toContain('The product has been added to your shopping cart');
  await expect(page.locator('.header-links .cart-qty').innerText()).resolves.toBe('(6)');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'completed-after-reload.png'), fullPage: true });
});

it.each([
  ['text that is not JSON', 'Internal Server Error'],
  ['a kit without lines', JSON.stringify({ id: 'k', lines: [] })],
  ['lines without nopCommerce products', JSON.stringify({ id: 'k', lines: [{ id: '1', quantity: 1 }] })],
  ['nothing at all', undefined],
])('shows an error instead of throwing when data.content is %s', async (_, content) => {
  const { shop, page, errors } = await visitShop();
  expect(await press(page, 'addToCart', content as string)).toBe(false);
  await expect(notification(page)).resolves.toContain('Sorry, your kit could not be added to the cart.');
  expect(shop.adds).toEqual([]);
  expect(errors).toEqual([]);
});

it('works on a shop older than 4.50, which has no anti-forgery token', async () => {
  const { shop, page } = await visitShop({ antiforgery: false });
  const { content, ids } = await kitContent();
  expect(await press(page, 'addToCart', content)).toBe(true);
  expect(shop.adds.map((add) => add.token)).toEqual([null, null]);
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
});

it('opens the cart after adding every line when the shop is set to show the cart after adding', async () => {
  const { shop, page } = await visitShop({ displayCartAfterAdding: true });
  const { content, ids } = await kitContent();
  const arrived = page.waitForURL(`${shop.origin}/cart`);
  await press(page, 'addToCart', content).catch(() => undefined);
  await arrived;
  expect(shop.cart()).toEqual({ [ids[0]!]: 2, [ids[1]!]: 1 });
});

it('shows its own notification on a theme without nopCommerce’s notification bar', async () => {
  const { shop, page } = await visitShop({ barNotification: false });
  const { content, ids } = await kitContent();
  shop.fail(ids[0]!, 'refuse');
  expect(await press(page, 'addToCart', content)).toBe(false);
  await expect(page.locator('#kitbridge-notification[role=alert]').innerText()).resolves.toContain(
    'Sorry, your kit could not be added to the cart. The product is not available right now.',
  );
});

it('carries the roster through the cart into the order, where the admin order view shows it per line', async () => {
  const { shop, page } = await visitShop();
  const delivery = aDelivery({
    Name: 'Ølstykke FC Home Shirt',
    sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 1 }],
    teams: [
      {
        Name: 'U12 Girls',
        Units: [
          { Name: 'Zoë Åberg', Number: '10', Size: 'S' },
          { Name: 'Mia Sørensen', Number: '7', Size: 'S' },
          { Name: 'Łucja Nowak', Number: '4', Size: 'M' },
        ],
      },
    ],
  });
  const response = await kitbridge.app.deliver(delivery).expect(200);
  expect(await press(page, 'addToCart', response.text)).toBe(true);

  await page.goto(`${shop.origin}/cart`);
  await expect(page.locator('ul.cart li').first().locator('.attributes').innerText()).resolves.toBe(
    `Roster: Kit ${response.body.id}: ${response.body.url}\nRoster: U12 Girls – #7 – Mia Sørensen\nRoster: U12 Girls – #10 – Zoë Åberg`,
  );
  await Promise.all([page.waitForURL(/\/admin\/order\/edit\/\d+$/), page.click('form[action="/checkout"] button')]);
  const lines = page.locator('table.products tbody tr');
  await expect(lines.count()).resolves.toBe(2);
  await expect(lines.nth(0).innerText()).resolves.toContain('Roster: U12 Girls – #10 – Zoë Åberg');
  await expect(lines.nth(1).innerText()).resolves.toContain('Roster: U12 Girls – #4 – Łucja Nowak');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'order-roster.png'), fullPage: true });
});
