import { webhookUrlBanner } from '../../src/webhook/banner';
import { generateToken } from '../../src/webhook-tokens/tokens';

const base = 'https://kits.example.com';
const token = generateToken();
const generated = { source: 'generated', token, file: '/srv/kitbridge/data/webhook-token' } as const;

it('shows the whole URL on a terminal, wherever the token comes from', () => {
  const url = `\n  ${base}/webhooks/kitbuilder/${token}\n`;
  expect(webhookUrlBanner(base, { source: 'WEBHOOK_TOKENS', token }, { terminal: true })).toContain(url);
  expect(webhookUrlBanner(base, { ...generated, generatedNow: false }, { terminal: true })).toContain(url);
});

it('shows the whole URL when this start generated the token, also to a log', () => {
  expect(webhookUrlBanner(base, { ...generated, generatedNow: true }, { terminal: false })).toContain(`${base}/webhooks/kitbuilder/${token}\n`);
});

it('says where the token is, without it, to an output that is not a terminal', () => {
  const fromFile = webhookUrlBanner(base, { ...generated, generatedNow: false }, { terminal: false });
  expect(fromFile).not.toContain(token);
  expect(fromFile).toContain(`${base}/webhooks/kitbuilder/<the token in /srv/kitbridge/data/webhook-token>`);
  expect(fromFile).toContain('npx kitbridge tokens add');
  const configured = webhookUrlBanner(base, { source: 'WEBHOOK_TOKENS', token }, { terminal: false });
  expect(configured).not.toContain(token);
  expect(configured).toContain(`${base}/webhooks/kitbuilder/<a token from WEBHOOK_TOKENS>`);
});
