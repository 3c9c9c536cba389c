import { generateToken } from '../../src/webhook-tokens/tokens';
import { aDelivery } from '../factories/delivery';
import { startTestApp, type TestApp } from '../helpers/app';

const ADMIN_TOKEN = generateToken();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ adminToken: ADMIN_TOKEN });
});
afterAll(() => app.close());

const scrape = async () => {
  const response = await app.http().get('/metrics').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
  expect(response.status).toBe(200);
  return response.text;
};
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it('counts failures by their cause, beside the deliveries by outcome', async () => {
  await app.deliver(aDelivery());
  await app.deliver(aDelivery({ Quantity: -1 }));
  await app.deliver(aDelivery({ Quantity: -1 }));
  await app.deliver('{broken');
  const text = await scrape();
  expect(sample(text, 'kitbridge_deliveries_total{outcome="created"}')).toBe(1);
  expect(sample(text, 'kitbridge_deliveries_total{outcome="rejected"}')).toBe(3);
  expect(sample(text, 'kitbridge_deliveries_total{outcome="failed"}')).toBe(0);
  expect(sample(text, 'kitbridge_delivery_failures_total{outcome="rejected",code="invalid-payload"}')).toBe(2);
  expect(sample(text, 'kitbridge_delivery_failures_total{outcome="rejected",code="invalid-json"}')).toBe(1);
  expect(sample(text, 'kitbridge_delivery_duration_seconds_count')).toBe(4);
  expect(sample(text, 'kitbridge_kits')).toBe(1);
});

it('counts the print room announcements by state, failed ones to alert on', async () => {
  const row = (order_id: number, state: string) => ({ order_id, channel: 'email', message_id: `msg_${order_id}`, order_summary: '{}', state, due_at: new Date(), created_at: new Date() });
  await app.db('print_room_announcements').insert([row(1, 'sent'), row(2, 'sent'), row(3, 'failed')]);
  const text = await scrape();
  expect(sample(text, 'kitbridge_print_room_announcements{state="sent"}')).toBe(2);
  expect(sample(text, 'kitbridge_print_room_announcements{state="failed"}')).toBe(1);
  expect(sample(text, 'kitbridge_print_room_announcements{state="pending"}')).toBe(0);
});

it("serves the process's own metrics that operators' dashboards read: event loop lag, heap, GC, handles", async () => {
  const text = await scrape();
  for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_active_handles_total', 'process_resident_memory_bytes']) {
    expect(sample(text, name)).toBeGreaterThan(0);
  }
  expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
});
