/// <reference lib="dom" />
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { MAX_TEXT } from '../../src/kits/bounds';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { launchBrowser } from '../helpers/browser';
import { orderedLine } from '../helpers/nop-cart';
import { placeOrder, startShopApp } from '../helpers/nopcommerce';

/**
 * Printed sheets hold on an A4 page whatever the text within the delivery's limits: a kit name, a team name, a
 * player's name, a number and a size as long as allowed and without a space to break at. Chromium prints each
 * sheet to PDF (kept in test-output/console for a person to look at), and every box of the page, laid out
 * for print at A4's printable width, has to stay within it.
 */

const OUTPUT = path.join(__dirname, '../../test-output/console');
const ADMIN_TOKEN = generateToken();
/** A4 (210 mm) less the sheet's 12 mm margins on each side, in CSS pixels (96 per inch). */
const PRINTABLE_WIDTH = Math.floor(((210 - 2 * 12) / 25.4) * 96);

let shop: Awaited<ReturnType<typeof startShopApp>>;
let browser: Browser;
let page: Page;
let origin: string;
let kitId: string;
let orderId: number;

const unbroken = (letter: string, length: number) => letter.repeat(length);

beforeAll(async () => {
  browser = await launchBrowser();
  shop = await startShopApp({ app: { adminToken: ADMIN_TOKEN } });
  origin = await shop.app.listen();
  await fs.mkdir(OUTPUT, { recursive: true });
  const size = unbroken('S', MAX_TEXT.size);
  const link = (
    await shop.app
      .deliver(
        aDelivery({
          Name: unbroken('K', MAX_TEXT.kitName),
          sizes: [{ Name: size, Quantity: 3, Sku: unbroken('U', MAX_TEXT.sku) }],
          teams: [
            {
              Name: unbroken('T', MAX_TEXT.teamName),
              Units: [
                { Name: unbroken('N', MAX_TEXT.unitName), Number: '9'.repeat(MAX_TEXT.number), Size: size },
                { Name: 'Søren Ærøe', Number: '7', Size: size },
              ],
            },
          ],
        }),
      )
      .expect(200)
  ).body;
  kitId = link.id;
  orderId = await placeOrder(shop.nop, [await orderedLine(shop.shop, link.lines[0].nopProductId, 3)]);
  page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/console/sign-in`);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(/\/console\/(?!sign-in)/), page.click('button[type=submit]')]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await shop?.close();
});

/** Elements of the page, laid out for print at the printable width, whose box reaches past it. */
async function overflowing(): Promise<string[]> {
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: PRINTABLE_WIDTH, height: 1000 });
  return page.evaluate(
    (width) =>
      [document.documentElement, ...Array.from(document.querySelectorAll('body *'))]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5 || element.scrollWidth > element.clientWidth + 1)
        .filter((element) => getComputedStyle(element).display !== 'none')
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}: ${(element.textContent ?? '').slice(0, 20)}`),
    PRINTABLE_WIDTH,
  );
}

it.each([
  ['kit-per-size', () => `/console/kits/${kitId}/sheet`],
  ['kit-per-team', () => `/console/kits/${kitId}/sheet?by=team`],
  ['order-per-size', () => `/console/orders/${orderId}/sheet`],
])('prints the %s sheet of the longest unbroken texts within the A4 page', async (name, target) => {
  await page.goto(origin + target());
  await expect(overflowing()).resolves.toEqual([]);
  await expect(page.locator('section.sheet tfoot th.num').allInnerTexts()).resolves.toEqual(name === 'kit-per-team' ? ['2', '1'] : ['3']);
  const pdf = await page.pdf({ format: 'A4' });
  await fs.writeFile(path.join(OUTPUT, `sheet-long-text-${name}.pdf`), pdf);
  await page.screenshot({ path: path.join(OUTPUT, `sheet-long-text-${name}.png`), fullPage: true });
});
