/// <reference lib="dom" />
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runQueueJob } from '../../src/print-queue/job';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { launchBrowser } from '../helpers/browser';
import { startShopApp } from '../helpers/nopcommerce';
import { billTo, cancel, checkoutKits, markPaid } from '../helpers/nop-orders';

const SCREENSHOTS = path.join(__dirname, '../../test-output/console');
const ADMIN_TOKEN = generateToken();

let s: Awaited<ReturnType<typeof startShopApp>>;
let browser: Browser;
let page: Page;
let origin: string;
let problems: string[];
let orderIds: number[];

const readShop = () => runQueueJob({ db: s.app.db, feed: s.adapter.orderFeed, from: 'paid' });
const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
const rowOf = (orderId: number) => page.locator('tr', { has: page.locator(`input[name=order][value="${orderId}"]`) });

beforeAll(async () => {
  [s, browser] = await Promise.all([startShopApp({ engine: 'postgres', app: { adminToken: ADMIN_TOKEN } }), launchBrowser()]);
  origin = await s.app.listen();
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const units = (team: string, names: string[], sizes: string[]) => names.map((Name, i) => ({ Name, Number: String(i + 2), Size: sizes[i % sizes.length]!, team }));
  const home = (await s.app.deliver(aDelivery({
    Name: 'Ølstykke FC Home Shirt 2026',
    sizes: [{ Name: '128cm', Quantity: 2 }, { Name: '140cm', Quantity: 2 }],
    teams: [{ Name: 'Drenge U12', Units: units('Drenge U12', ['Søren Ærøe', 'Mads Holm', 'Jonas Bæk', 'Emil Friis'], ['128cm', '140cm']).map(({ team: _, ...u }) => u) }],
  })).expect(200)).body;
  const away = (await s.app.deliver(aDelivery({ Name: 'Ølstykke FC Away Shorts', sizes: [{ Name: 'S', Quantity: 3 }, { Name: 'M', Quantity: 1 }] })).expect(200)).body;
  const line = (kit: { lines: Array<{ nopProductId: number }> }, i: number, quantity: number) => ({ productId: kit.lines[i]!.nopProductId, quantity });
  orderIds = [];
  const days = ['2026-11-28 08:15:00', '2026-11-29 12:40:00', '2026-11-30 17:05:00', '2026-12-01 09:30:00', '2026-12-01 11:10:00'];
  const carts = [[line(home, 0, 2), line(home, 1, 2)], [line(away, 0, 3)], [line(home, 1, 2), line(away, 1, 1)], [line(home, 0, 2)], [line(away, 0, 2)]];
  const customers = [['Mette', 'Frederiksen'], ['Lars', 'Bæk'], ['Anne', 'Sørensen'], ['Jens', 'Holm'], ['Kirsten', 'Dahl']];
  for (const [i, cart] of carts.entries()) {
    orderIds.push(await checkoutKits(s.nop, cart, days[i]));
    await billTo(s.nop, orderIds[i]!, customers[i]![0]!, customers[i]![1]!);
  }
  for (const id of orderIds.slice(0, 4)) await markPaid(s.nop, id);
  await readShop();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

beforeEach(async () => {
  page = await (await browser.newContext({ viewport: { width: 1200, height: 800 } })).newPage();
  page.setDefaultTimeout(10_000);
  problems = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${origin}/console/queue`);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${origin}/console/queue`), page.click('button[type=submit]')]);
});
afterEach(async () => {
  expect(problems).toEqual([]);
  await page.context().close();
});

it('shows the paid orders to print, selects three, prints them as one sheet and marks them printed', async () => {
  await expect(page.getByRole('link', { name: 'To print (4)' }).getAttribute('aria-current')).resolves.toBe('page');
  await expect(page.locator('td[data-label=Order]').allInnerTexts()).resolves.toEqual(orderIds.slice(0, 4).reverse().map(String));
  const [first, second, third] = orderIds;
  for (const id of [first!, second!, third!]) await rowOf(id).locator('input[type=checkbox]').check();
  await shoot('print-queue');

  await Promise.all([page.waitForURL(/\/console\/queue\/batches\/\d+\/sheet$/), page.getByRole('button', { name: 'Print selected as one sheet' }).click()]);
  await expect(page.locator('h1').first().innerText()).resolves.toMatch(/^Print batch \d+$/);
  const text = await page.locator('body').innerText();
  expect(text).toContain('3 orders, 10 garments');
  expect(text).toContain('10 garments on 4 pages.');
  expect(text).not.toContain('the order has');
  // Size 140cm across orders 1 and 3: the roster each line carries, with its order.
  await expect(page.locator('section.sheet', { hasText: 'Size 140cm' }).locator('tbody tr').allInnerTexts()).resolves.toEqual(
    [`3\tMads Holm\t${orderIds[0]}\tDrenge U12`, `3\tMads Holm\t${orderIds[2]}\tDrenge U12`, `5\tEmil Friis\t${orderIds[0]}\tDrenge U12`, `5\tEmil Friis\t${orderIds[2]}\tDrenge U12`],
  );
  await shoot('print-batch');
  await page.getByRole('link', { name: 'Print queue' }).click();
  await page.getByRole('link', { name: 'Printing (3)' }).click();
  await expect(page.locator('td[data-label=Order]').allInnerTexts()).resolves.toEqual([third, second, first].map(String));

  for (const id of [first!, second!, third!]) await rowOf(id).locator('input[type=checkbox]').check();
  await page.getByRole('button', { name: 'Mark selected printed…' }).click();
  await expect(page.locator('h1').innerText()).resolves.toBe('Mark 3 orders printed?');
  await page.fill('input[name=by]', 'Lise');
  await Promise.all([page.waitForURL(/state=printed/), page.getByRole('button', { name: 'Mark printed', exact: true }).click()]);
  await expect(page.locator('.notice').innerText()).resolves.toBe('3 orders marked printed.');
  await expect(page.locator('td[data-label=Order]').allInnerTexts()).resolves.toEqual([third, second, first].map(String));
  await expect(rowOf(first!).locator('td[data-label=State]').innerText()).resolves.toContain('by Lise');
  await expect(page.getByRole('link', { name: 'To print (1)' }).count()).resolves.toBe(1);
});

it('flags in red a printed order the shop cancelled afterwards', async () => {
  await cancel(s.nop, orderIds[0]!);
  await readShop();
  await page.goto(`${origin}/console/queue?state=printed`);
  const row = rowOf(orderIds[0]!);
  await expect(row.getAttribute('class')).resolves.toBe('problem');
  await expect(row.innerText()).resolves.toContain('Cancelled or refunded in the shop: do not ship');
  await expect(row.evaluate((tr) => getComputedStyle(tr.querySelector('td')!).backgroundColor)).resolves.toBe('rgb(253, 236, 234)');
  await shoot('print-queue-cancelled');
});
