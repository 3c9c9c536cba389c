/// <reference lib="dom" />
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser } from '../helpers/browser';
import { refuseKitInserts } from '../helpers/faults';

const SCREENSHOTS = path.join(__dirname, '../../test-output/console');
const ADMIN_TOKEN = generateToken();
const PHONE = { width: 390, height: 844 };

let app: TestApp;
let browser: Browser;
let origin: string;
let kitId: string;

/** A kit design as Kit Builder renders one: a striped shirt, drawn by the browser itself as a PNG. */
async function shirtPng(): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 320, height: 320 } });
  await page.setContent(`<body style="margin:0;background:#fff"><svg width="320" height="320" viewBox="0 0 320 320">
    <defs><pattern id="s" width="40" height="320" patternUnits="userSpaceOnUse"><rect width="20" height="320" fill="#c8102e"/><rect x="20" width="20" height="320" fill="#fff"/></pattern></defs>
    <path d="M110 30 L60 50 L10 110 L50 140 L80 110 L80 300 L240 300 L240 110 L270 140 L310 110 L260 50 L210 30 Q160 70 110 30 Z" fill="url(#s)" stroke="#222" stroke-width="4"/>
    <text x="160" y="200" font-family="sans-serif" font-size="64" font-weight="700" text-anchor="middle" fill="#111">10</text></svg></body>`);
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png.toString('base64');
}

const players = (team: string, names: string[], sizes: string[]) =>
  names.map((name, i) => ({ Name: name, Number: String([10, 7, 2, 14, 23, 5, 9, 1][i]), Size: sizes[i % sizes.length]!, team }));

beforeAll(async () => {
  browser = await launchBrowser();
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
  origin = await app.listen();
  await fs.mkdir(SCREENSHOTS, { recursive: true });

  const drenge = players('Ølstykke Drenge U12', ['Søren Ærøe', 'Mads Holm', 'Jonas Bæk', 'Emil Friis', 'Oliver Dahl'], ['128cm', '140cm', '152cm']);
  const piger = players('Ølstykke Piger U12', ['Åse Lund', 'Freja Møller', 'Ida Krogh', 'Clara Bech'], ['128cm', '140cm']);
  const units = [...drenge, ...piger];
  const sizes = ['128cm', '140cm', '152cm'].map((size) => ({ Name: size, Quantity: units.filter((u) => u.Size === size).length }));
  const kit = aDelivery({
    Name: 'Ølstykke FC Home Shirt 2026',
    CategoryName: 'Football',
    ProductName: 'Home Shirt',
    DesignName: 'Red Stripes',
    MainImage: await shirtPng(),
    sizes,
    teams: [drenge, piger].map((team) => ({ Name: team[0]!.team, Units: team.map(({ team: _, ...unit }) => unit) })),
  });
  kitId = (await app.deliver(kit).expect(200)).body.id;
  await app.deliver(aDelivery({ Name: 'Away Shirt', sizes: [{ Name: 'S', Quantity: 2 }, { Name: 'M', Quantity: 2 }] })).expect(200);
  await app.deliver(aDelivery({ UnitPrice: 'free' })).expect(400);
  const heal = await refuseKitInserts(app);
  await app.deliver(aDelivery({ Name: 'Training Top (delivered while the database was down)' })).expect(503);
  await heal();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
});

let context: BrowserContext;
let page: Page;
let problems: string[];
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  problems = [];
  // A Content-Security-Policy violation or a script error shows up here.
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
});
afterEach(async () => {
  expect(problems).toEqual([]);
  await context.close();
});

async function signIn(target = '/console') {
  await page.goto(origin + target);
  await page.fill('#token', ADMIN_TOKEN);
  await Promise.all([page.waitForURL(/\/console\/(?!sign-in)/), page.click('button[type=submit]')]);
}

const shoot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
/** Nothing on the page reaches past the screen's right edge, not even inside a scrolling table. */
const fitsWidth = () =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .map((element) => element.tagName + (element.textContent ?? '').slice(0, 30)),
  );

it('signs in with the admin token, and out again', async () => {
  await page.goto(`${origin}/console`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  await shoot('sign-in');
  await page.fill('#token', 'wrong-token');
  await page.click('button[type=submit]');
  await expect(page.locator('.error').innerText()).resolves.toContain('That is not the admin token');
  // The browser reports the refused sign-in's 401 on its console; expected here.
  problems = problems.filter((text) => !text.includes('status of 401'));
  await page.fill('#token', ADMIN_TOKEN);
  await page.click('button[type=submit]');
  await page.waitForURL(`${origin}/console/deliveries`);
  const [cookie] = await context.cookies();
  expect(cookie).toMatchObject({ name: 'kitbridge_console', httpOnly: true, sameSite: 'Strict', path: '/console' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${origin}/console/sign-in`);
  await page.goto(`${origin}/console/kits`);
  expect(new URL(page.url()).pathname).toBe('/console/sign-in');
});

it('replays a failed delivery from the deliveries page', async () => {
  await signIn('/console/deliveries');
  const failed = page.locator('tr.problem', { hasText: 'The database is unavailable' });
  await expect(failed.count()).resolves.toBe(1);
  await expect(page.locator('tr.problem', { hasText: 'SingleItemCheckout.UnitPrice' }).count()).resolves.toBe(1);
  await shoot('deliveries');
  await page.setViewportSize(PHONE);
  await expect(fitsWidth()).resolves.toEqual([]);
  await shoot('deliveries-phone');
  await page.setViewportSize({ width: 1100, height: 800 });

  await failed.locator('button', { hasText: 'Replay' }).click();
  await expect(page.locator('h1').innerText()).resolves.toMatch(/^Replayed delivery \d+$/);
  await expect(page.locator('.notice').innerText()).resolves.toBe('Kit created.');
  await shoot('replayed');
  await page.click('text=Training Top (delivered while the database was down)');
  await expect(page.locator('h1').innerText()).resolves.toBe('Training Top (delivered while the database was down)');
});

it('shows one delivery in full, and sends a test delivery', async () => {
  await signIn('/console/deliveries?outcome=rejected');
  await page.locator('tr.problem a').first().click();
  await expect(page.locator('.error').innerText()).resolves.toContain('SingleItemCheckout.UnitPrice');
  await shoot('delivery');
  await page.getByRole('link', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('button', { name: 'Send a test delivery' }).click();
  await expect(page.locator('.notice').innerText()).resolves.toBe('Kit created.');
  await shoot('test-delivery');
});

it('finds a player by name and shows the kit with image, lines, warnings and roster, also on a phone', async () => {
  await signIn('/console/kits');
  await page.fill('input[name=q]', 'søren');
  await page.press('input[name=q]', 'Enter');
  await expect(page.locator('td[data-label=Matched]').innerText()).resolves.toBe('#10 Søren Ærøe (Ølstykke Drenge U12)');
  await shoot('kit-search');
  await page.click('text=Ølstykke FC Home Shirt 2026');
  await expect(page.locator('h1').innerText()).resolves.toBe('Ølstykke FC Home Shirt 2026');
  await expect(page.locator('img.kit').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBeGreaterThan(0);
  await expect(page.locator('h3', { hasText: 'Ølstykke Piger U12' }).count()).resolves.toBe(1);
  await shoot('kit');
  await page.setViewportSize(PHONE);
  await expect(fitsWidth()).resolves.toEqual([]);
  await shoot('kit-phone');
});

it('prints a sheet with one page per size, or per team, without the navigation', async () => {
  await signIn(`/console/kits/${kitId}`);
  await page.click('text=Print sheet per size');
  await expect(page.locator('button[data-print]').isVisible()).resolves.toBe(true);
  await expect(page.locator('section.sheet h2').allInnerTexts()).resolves.toEqual(['Size 128cm', 'Size 140cm', 'Size 152cm']);
  await shoot('print-sheet');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.top').isVisible()).resolves.toBe(false);
  await expect(page.locator('.no-print').isVisible()).resolves.toBe(false);
  await shoot('print-sheet-print');
  expect(await pdfPages()).toBe(3);

  await page.emulateMedia({ media: 'screen' });
  await page.click('text=One page per team');
  await expect(page.locator('section.sheet h2').allInnerTexts()).resolves.toEqual(['Team Ølstykke Drenge U12', 'Team Ølstykke Piger U12']);
  expect(await pdfPages()).toBe(2);
});

/** The pages Chromium prints the current page on. */
async function pdfPages(): Promise<number> {
  const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  return pdf.match(/\/Type\s*\/Page\b/g)?.length ?? 0;
}

it('adds a webhook URL, copies it with the button, and revokes it after confirming', async () => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await signIn('/console/tokens');
  await page.fill('input[name=label]', 'Rotation after staff change');
  await page.getByRole('button', { name: 'Add a webhook URL' }).click();
  const url = await page.inputValue('#new-url');
  expect(url).toMatch(/\/webhooks\/kitbuilder\/[A-Za-z0-9_-]{32}$/);
  await page.click('button[data-copy]');
  await page.locator('button[data-copy]', { hasText: 'Copied' }).waitFor();
  await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(url);
  await shoot('webhook-url-added');

  await page.getByRole('link', { name: 'webhook URLs', exact: true }).click();
  const row = page.locator('tr', { hasText: 'Rotation after staff change' });
  await row.locator('text=Revoke…').click();
  await page.getByRole('button', { name: 'Revoke it' }).click();
  await expect(page.locator('.notice').innerText()).resolves.toMatch(/is revoked/);
  await expect(row.locator('td[data-label=State]').innerText()).resolves.toMatch(/^revoked /);
  await shoot('webhook-urls');
  await app.deliver(aDelivery(), url.split('/').pop()).expect(404);
});

it('shows health and the clean-up’s dry run', async () => {
  await signIn('/console/health');
  await expect(page.locator('dl.facts').innerText()).resolves.toMatch(/kitbridge's database\s+answers/);
  await shoot('health');
  await page.getByRole('link', { name: 'Clean-up' }).click();
  await page.fill('input[name=days]', '1');
  await page.getByRole('button', { name: 'Show what would be removed' }).click();
  await expect(page.locator('main').innerText()).resolves.toContain('No kit would be removed.');
  await shoot('cleanup');
});

it('reads without JavaScript: pages render and the enhancement buttons stay hidden', async () => {
  const plain = await browser.newContext({ javaScriptEnabled: false });
  page = await plain.newPage();
  try {
    await signIn(`/console/kits/${kitId}/sheet`);
    await expect(page.locator('section.sheet').count()).resolves.toBe(3);
    await expect(page.locator('button[data-print]').isVisible()).resolves.toBe(false);
  } finally {
    await plain.close();
  }
});
