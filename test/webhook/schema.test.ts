import { deliverySchema } from '../../src/webhook/schema';
import { aDelivery } from '../factories/delivery';

it('accepts right-to-left names, which need no direction control characters to print in order', () => {
  const delivery = aDelivery({
    Name: 'قميص النادي',
    sizes: [{ Name: 'S', Quantity: 1 }],
    teams: [{ Name: 'فريق الشباب', Units: [{ Name: 'עומר כהן', Number: '19', Size: 'S' }] }],
  });
  const parsed = deliverySchema.parse(delivery);
  expect(parsed.SingleItemCheckout.TeamDetails.Teams[0]!.Units[0]).toMatchObject({ Name: 'עומר כהן', Number: '19' });
});

it('still reads a number sent as a JSON number', () => {
  const delivery = aDelivery({ sizes: [{ Name: 'S', Quantity: 1 }], teams: [{ Name: 'A', Units: [{ Name: 'Bo', Number: 7 as never, Size: 'S' }] }] });
  expect(deliverySchema.parse(delivery).SingleItemCheckout.TeamDetails.Teams[0]!.Units[0]!.Number).toBe('7');
});
