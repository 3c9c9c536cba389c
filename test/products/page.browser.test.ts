import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { aDelivery } from '../factories/delivery';
import { pngOf } from '../factories/png';
import { startTestApp, type TestApp } from '../helpers/app';
import { launchBrowser } from '../helpers/browser';

// Kit Builder's Html is shown on the kit page after sanitizing, which keeps <img src="https://…">. The page's
// policy must stop the browser from fetching such an image: it would tell a third party who looked at a roster.
let app: TestApp;
let browser: Browser;
let origin: string;
let tracker: http.Server;
let trackerUrl: string;
const fetched: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  app = await startTestApp({ publicBaseUrl: undefined });
  origin = await app.listen();
  tracker = http.createServer((request, response) => {
    fetched.push(request.url!);
    response.writeHead(200, { 'Content-Type': 'image/png' }).end(pngOf({ width: 1, height: 1 }));
  });
  tracker.listen(0, '127.0.0.2');
  await once(tracker, 'listening');
  trackerUrl = `http://127.0.0.2:${(tracker.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  tracker?.close();
  await app?.close();
});

it("shows the kit's own image and Html's data: images, and never fetches a remote image from Html", async () => {
  const png = pngOf({ width: 4, height: 4 }).toString('base64');
  const Html = `<p>Shirt</p><img alt="pixel" src="${trackerUrl}/pixel.png"><img alt="inline" src="data:image/png;base64,${png}">`;
  const delivery = aDelivery({ Html, MainImage: png });
  const { body } = await app.deliver(delivery).expect(200);
  const page = await browser.newPage();
  try {
    const blocked: string[] = [];
    page.on('console', (message) => blocked.push(message.text()));
    await page.goto(`${origin}/products/${body.id}`, { waitUntil: 'load' });
    const loaded = await page.$$eval('img', (images) => images.map((img) => [img.className || img.alt, (img as HTMLImageElement).naturalWidth > 0]));
    expect(Object.fromEntries(loaded)).toEqual({ kit: true, pixel: false, inline: true });
    expect(fetched).toEqual([]);
    expect(blocked.join('\n')).toContain('Content Security Policy');
  } finally {
    await page.close();
  }
});
