/** An order as it becomes "to print": what the print room needs to hear of it, counts only. */
export interface ToPrintOrder {
  orderId: number;
  customOrderNumber: string;
  createdOnUtc: string /* ISO */;
  kits: Array<{ kitId: string; name: string; sizes: Array<{ size: string; garments: number }> }>;
  garments: number;
}
