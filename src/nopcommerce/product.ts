import { AppError } from '../http/errors';
import type { KitDraft, LineDraft } from '../kits/draft';
import type { ShopSettings } from './settings';
import { shopPrice, taxPlan } from './tax';
import { plainText, shopHtml } from './text';

export interface ProductSettings {
  taxCategoryId: number;
  templateId: number;
  limitedToStores: boolean;
}

/**
 * The "Product" row for one line of a kit, with every column any of 4.60-4.90 requires; the writer keeps
 * the ones the shop's database has. The values make a kit sellable but invisible in the storefront:
 * - VisibleIndividually = false: catalog, category, manufacturer, search and "new products" lists all ask
 *   for visible-individually products only, while the cart, checkout and admin order view load products by
 *   id and show name, price and picture as usual. (The product's own page redirects away, which is fine:
 *   a kit is reached through the cart, not browsed.)
 * - ShowOnHomepage, MarkAsNew false and no category mapping (unless the shop configures one for reports).
 * - Simple product, Published, no inventory tracking, no rental/recurring/gift card/download, no customer-
 *   entered price and no allowed-quantities list: otherwise the catalog add-to-cart route redirects instead
 *   of adding (docs/nopcommerce/ADD-TO-CART.md).
 * - OrderMinimumQuantity = OrderMaximumQuantity = the line quantity: the print run is fixed by the roster, so
 *   nopCommerce refuses any other quantity in the cart (ShoppingCartService.GetStandardWarningsAsync, on add and
 *   on update), and a second add of the same line is refused instead of doubling the print run. The catalog
 *   route still adds it: it redirects only when OrderMinimumQuantity > the quantity asked for.
 * - IsTaxExempt per line: nopCommerce exempts whole products, hence one product per line.
 * Text follows the two rules of text.ts: descriptions are HTML with every value escaped, Name and Sku plain text.
 */
export function productRow(
  kit: KitDraft,
  line: LineDraft,
  meta: {
    kitUrl: string;
    marker: string;
    now: string;
    /** in the shop's base weight unit */
    weight: string;
    /** Product.Price, on the shop's tax basis (linePrice) */
    price: string;
  },
  settings: ProductSettings,
): Record<string, unknown> {
  const name = line.size ? `${kit.name} - ${line.size}` : kit.name;
  const size = line.size || 'one size';
  return {
    Name: plainText(name, 400),
    MetaKeywords: null,
    MetaTitle: null,
    Sku: line.sku ? plainText(line.sku, 400) : null,
    ManufacturerPartNumber: null,
    Gtin: null,
    RequiredProductIds: null,
    AllowedQuantities: null,
    ProductTypeId: 5, // SimpleProduct
    ParentGroupedProductId: 0,
    VisibleIndividually: false,
    ShortDescription: shopHtml`${line.quantity} × ${size} · ${kit.categoryName} ${kit.productName} ${kit.designName}`.value.trim(),
    FullDescription: fullDescription(kit, line, size, meta.kitUrl),
    AdminComment: `${meta.marker}\nCreated by kitbridge from a Kit Builder delivery: ${meta.kitUrl}`,
    ProductTemplateId: settings.templateId,
    VendorId: 0,
    ShowOnHomepage: false,
    MetaDescription: null,
    AllowCustomerReviews: false,
    ApprovedRatingSum: 0,
    NotApprovedRatingSum: 0,
    ApprovedTotalReviews: 0,
    NotApprovedTotalReviews: 0,
    SubjectToAcl: false,
    LimitedToStores: settings.limitedToStores,
    IsGiftCard: false,
    GiftCardTypeId: 0,
    OverriddenGiftCardAmount: null,
    RequireOtherProducts: false,
    AutomaticallyAddRequiredProducts: false,
    IsDownload: false,
    DownloadId: 0,
    UnlimitedDownloads: false,
    MaxNumberOfDownloads: 0,
    DownloadExpirationDays: null,
    DownloadActivationTypeId: 0,
    HasSampleDownload: false,
    SampleDownloadId: 0,
    HasUserAgreement: false,
    UserAgreementText: null,
    IsRecurring: false,
    RecurringCycleLength: 0,
    RecurringCyclePeriodId: 0,
    RecurringTotalCycles: 0,
    IsRental: false,
    RentalPriceLength: 0,
    RentalPricePeriodId: 0,
    IsShipEnabled: true,
    IsFreeShipping: false,
    ShipSeparately: false,
    AdditionalShippingCharge: 0,
    DeliveryDateId: 0,
    IsTaxExempt: line.taxExempt,
    TaxCategoryId: line.taxExempt ? 0 : settings.taxCategoryId,
    IsTelecommunicationsOrBroadcastingOrElectronicServices: false,
    ManageInventoryMethodId: 0, // DontManageStock
    ProductAvailabilityRangeId: 0,
    UseMultipleWarehouses: false,
    WarehouseId: 0,
    StockQuantity: 0,
    DisplayStockAvailability: false,
    DisplayStockQuantity: false,
    MinStockQuantity: 0,
    LowStockActivityId: 0,
    NotifyAdminForQuantityBelow: 0,
    BackorderModeId: 0,
    AllowBackInStockSubscriptions: false,
    OrderMinimumQuantity: Math.max(1, line.quantity),
    OrderMaximumQuantity: Math.max(1, line.quantity),
    AllowAddingOnlyExistingAttributeCombinations: false,
    DisplayAttributeCombinationImagesOnly: false,
    // Printed with names and numbers: a kit cannot be resold, so it is not returnable.
    NotReturnable: true,
    DisableBuyButton: false,
    DisableWishlistButton: true,
    AvailableForPreOrder: false,
    PreOrderAvailabilityStartDateTimeUtc: null,
    CallForPrice: false,
    Price: meta.price,
    OldPrice: 0,
    ProductCost: 0,
    CustomerEntersPrice: false,
    MinimumCustomerEnteredPrice: 0,
    MaximumCustomerEnteredPrice: 0,
    BasepriceEnabled: false,
    BasepriceAmount: 0,
    BasepriceUnitId: 0,
    BasepriceBaseAmount: 0,
    BasepriceBaseUnitId: 0,
    MarkAsNew: false,
    MarkAsNewStartDateTimeUtc: null,
    MarkAsNewEndDateTimeUtc: null,
    HasTierPrices: false,
    HasDiscountsApplied: false,
    Weight: meta.weight,
    Length: 0,
    Width: 0,
    Height: 0,
    AvailableStartDateTimeUtc: null,
    AvailableEndDateTimeUtc: null,
    DisplayOrder: 0,
    Published: true,
    Deleted: false,
    CreatedOnUtc: meta.now,
    UpdatedOnUtc: meta.now,
    AgeVerification: false,
    MinimumAgeToPurchase: 0,
  };
}

/**
 * Product.Price for a line: Kit Builder's unit price, converted to the shop's tax basis where they differ, so that
 * nopCommerce charges what Kit Builder showed (tax.ts). Read in the delivery's transaction with the shop's
 * settings of the moment: a combination that became impossible refuses the delivery, naming the setting.
 */
export function linePrice(
  line: LineDraft,
  settings: { kitPricesIncludeTax: boolean; taxCategoryId: number },
  shop: ShopSettings,
): string {
  const plan = taxPlan(settings.kitPricesIncludeTax, shop.tax, { taxable: !line.taxExempt, categoryId: settings.taxCategoryId });
  try {
    return shopPrice(line.unitPrice, line.quantity, plan);
  } catch (error) {
    throw new AppError('catalog-refused', `kitbridge cannot price line ${line.position} for the shop: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * What the product page and the admin show. The roster is not repeated here: it travels with the order as the
 * product's roster attribute (roster.ts), and players' names (often of minors) are kept in as few places as
 * staff need them.
 */
function fullDescription(kit: KitDraft, line: LineDraft, size: string, kitUrl: string): string {
  return shopHtml`<p>${kit.name}: ${line.quantity} × ${size}</p><p>The names and numbers to print are in the Roster of the order line.</p><p><a href="${kitUrl}">Kit details</a></p>`
    .value;
}
