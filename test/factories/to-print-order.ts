import type { ToPrintOrder } from '../../src/print-queue/types';

let next = 5000;

/** An order as the print queue hands it over when it becomes "to print": two kits, fresh order id each call. */
export function aToPrintOrder(overrides: Partial<ToPrintOrder> = {}): ToPrintOrder {
  const orderId = (next += 1);
  const kits = overrides.kits ?? [
    { kitId: 'xZGhl4t4DsBonQdUd4H5Xw', name: 'Ølstykke FC Home Shirt', sizes: [{ size: '128cm', garments: 3 }, { size: 'M', garments: 2 }] },
    { kitId: 'Bq9sTn0eW1rL2kQ8vYc3Zd', name: 'Ølstykke FC Shorts <junior>', sizes: [{ size: '128cm', garments: 4 }] },
  ];
  return {
    orderId,
    customOrderNumber: `KB-${orderId}`,
    createdOnUtc: '2026-12-02T10:05:00.000Z',
    kits,
    garments: kits.flatMap((kit) => kit.sizes).reduce((sum, size) => sum + size.garments, 0),
    ...overrides,
  };
}
