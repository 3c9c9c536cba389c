import { webhookPathRedactor } from '../../src/webhook/redact';
import { generateToken, tokenDigest } from '../../src/webhook-tokens/tokens';

const token = generateToken();
const redact = webhookPathRedactor(() => [tokenDigest(token)]);

it.each([
  [`/webhooks/kitbuilder/${token}`, '/webhooks/kitbuilder/[redacted]'],
  [`/WEBHOOKS/KitBuilder/${token}`, '/WEBHOOKS/KitBuilder/[redacted]'],
  [`//webhooks//kitbuilder//${token}/more`, '//webhooks//kitbuilder//[redacted]'],
  [`/webhooks/kitbuilder/not-the-token-but-close`, '/webhooks/kitbuilder/[redacted]'],
  [`/webhooks%2Fkitbuilder%2F${token}`, '/[redacted]'],
  [`/products/${token}/image`, '/products/[redacted]/image'],
  [`/a/${encodeURIComponent(`x/${token}`)}`, '/a/[redacted]'],
])('logs %s as %s', (path, logged) => {
  expect(redact(path)).toBe(logged);
});

it.each(['/products/xZGhl4t4DsBonQdUd4H5Xw', '/webhooks/kitbuilder', '/webhooks/kitbuilder/', '/images/%E0%A4%A.png', '/'])(
  'logs %s as it is: it holds no secret',
  (path) => {
    expect(redact(path)).toBe(path);
  },
);
