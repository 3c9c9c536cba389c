import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppDeps } from '../../src/app';
import type { SnippetValues } from '../../src/snippets/snippets';
import { bareApp } from '../helpers/bare-app';

// Serving the snippets reads no database.
const apps: Array<ReturnType<typeof bareApp>> = [];
afterAll(() => Promise.all(apps.map((app) => app.close())));
const serve = (snippets: SnippetValues, shop?: AppDeps['shop']) => {
  const app = bareApp({ snippets, shop });
  apps.push(app);
  return app.http();
};

const shipped = (name: string) => readFileSync(path.join(__dirname, '../../theme-snippets', name), 'utf8');

it('serves each snippet as shipped when the shop has configured nothing', async () => {
  for (const name of ['head.html', 'kit-builder.html']) {
    const response = await serve({}).get(`/theme-snippets/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.text).toBe(shipped(name));
  }
});

it('fills in the distributor id, key and currency symbol the shop configured', async () => {
  const values = { distributorId: 'shop-42', distributorKey: 'k3y_abc', currencySymbol: '€</script>' };
  const kitBuilder = await serve(values).get('/theme-snippets/kit-builder.html');
  expect(kitBuilder.text).toContain('Bootstrapper?distributorId=shop-42&key=k3y_abc"');
  const head = await serve(values).get('/theme-snippets/head.html');
  expect(head.text).toContain('currencySymbol: "€\\u003c/script>",');
  expect(head.text.replace('"€\\u003c/script>"', '"kr"')).toBe(shipped('head.html'));
});

it('shows both snippets, escaped, on one page to copy from', async () => {
  const response = await serve({ distributorId: 'shop-42' }).get('/theme-snippets');
  expect(response.status).toBe(200);
  expect(response.text).toContain('&lt;div id=&quot;kitBuilder&quot;&gt;');
  expect(response.text).toContain('distributorId=shop-42');
  expect(response.text).toContain('_Root.Head.cshtml');
  expect(response.text).not.toContain('<script');
});

it('answers 404 for any other snippet name', async () => {
  for (const name of ['other.html', '..%2Fpackage.json', 'constructor']) {
    const response = await serve({}).get(`/theme-snippets/${name}`);
    expect(response.status).toBe(404);
  }
});

it('ships snippets Razor can hold: an @ in a .cshtml file would be read as code', () => {
  for (const name of ['head.html', 'kit-builder.html']) expect(shipped(name)).not.toContain('@');
});

describe('without the nopCommerce catalog adapter', () => {
  it('says on the snippets page that the cart cannot be filled yet, and what to turn on', async () => {
    const page = await serve({}).get('/theme-snippets');
    expect(page.text).toContain('id="no-catalog"');
    expect(page.text).toContain('cannot put kits into the cart yet');
    expect(page.text).toContain('CATALOG=nopcommerce');
    expect(page.text).toContain('NOPCOMMERCE_DATABASE_URL');
  });

  it('says nothing of the kind when the adapter is on', async () => {
    const shop = { adapter: {} as NonNullable<AppDeps['shop']>['adapter'], baseUrl: '' };
    const page = await serve({}, shop).get('/theme-snippets');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('id="no-catalog"');
  });
});
