import { openApiDocument } from '../../src/webhook/openapi';
import { bareApp } from '../helpers/bare-app';

it('describes the webhook body and the product-link answer from the schemas that enforce them', () => {
  const webhook = openApiDocument().paths['/webhooks/kitbuilder/{token}']!.post;
  const body = webhook.requestBody.content['application/json'].schema as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(body.required).toEqual(['PublicWebhookId', 'SingleItemCheckout']);
  expect(body.properties.SingleItemCheckout.properties.TeamDetails.anyOf[0].properties.Sizes.anyOf[0].items.required).toContain('Quantity');
  const link = webhook.responses[200].content['application/json'].schema as any; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(link.properties.total).toMatchObject({ type: 'string', pattern: '^\\d+\\.\\d{2}$' });
  expect(Object.keys(link.properties.lines.items.properties)).toEqual(
    expect.arrayContaining(['id', 'size', 'sku', 'quantity', 'unitPrice', 'taxExempt', 'url', 'nopProductId', 'addToCartUrl']),
  );
  expect(webhook.responses[503].content['application/problem+json'].schema).toMatchObject({ required: expect.arrayContaining(['type', 'code', 'status']) });
  expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['503', '507']));
});

it('serves the document at /openapi.json without any token', async () => {
  const app = bareApp();
  const response = await app.http().get('/openapi.json');
  await app.close();
  expect(response.status).toBe(200);
  expect(response.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
});
