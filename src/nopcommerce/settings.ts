import type { Knex } from 'knex';
import { WEIGHT_DECIMALS } from '../kits/bounds';
import type { SeoSettings } from './slug';
import type { ShopTax } from './tax';

/** The units Kit Builder's weights may be configured in, and the MeasureWeight.SystemKeyword nopCommerce gives each. */
export const WEIGHT_UNITS = { kg: 'kg', g: 'grams', lb: 'lb', oz: 'ounce' } as const;
export type WeightUnit = keyof typeof WEIGHT_UNITS;

/** What a delivery needs of the shop's settings; read in its transaction, so a change in the admin applies to the next kit. */
export interface ShopSettings {
  seo: SeoSettings;
  /** MeasureSettings.BaseWeightId: the MeasureWeight row weights are stored in */
  baseWeightId: number;
  /** MeasureWeight rows by SystemKeyword: how many of that unit make one base unit */
  weights: Map<string, { id: number; ratio: string }>;
  tax: ShopTax;
}

// Checked against nopCommerce 4.90: TaxSettings, ShoppingCartSettings and FixedOrByCountryStateZipTaxSettings
// are loaded per store with the shared row as fallback; the fixed rates are read with
// GetSettingByKeyAsync<decimal>(FIXED_RATE_SETTINGS_KEY) for store 0 only (FixedOrByCountryStateZipTaxProvider.cs l. 92).
const TAX = {
  pricesIncludeTax: 'taxsettings.pricesincludetax',
  displayType: 'taxsettings.taxdisplaytype',
  allowCustomerDisplayType: 'taxsettings.allowcustomerstoselecttaxdisplaytype',
  provider: 'taxsettings.activetaxprovidersystemname',
  countryStateZip: 'fixedorbycountrystateziptaxsettings.countrystatezipenabled',
  roundDuringCalculation: 'shoppingcartsettings.roundpricesduringcalculation',
};
const FIXED_RATE_PREFIX = 'tax.taxprovider.fixedorbycountrystatezip.taxcategoryid';

const NAMES = ['seosettings.convertnonwesternchars', 'seosettings.allowunicodecharsinurls', 'measuresettings.baseweightid', ...Object.values(TAX)];

/**
 * Reads the settings as nopCommerce's SettingService does for a store: the store's own row if there is one, else
 * the shared row (StoreId 0), else the installed default.
 */
export async function readShopSettings(db: Knex, storeId: number): Promise<ShopSettings> {
  const rows: Array<{ Name: string; Value: string; StoreId: number }> = await db('Setting')
    .where((q) => q.whereIn('Name', NAMES).orWhere('Name', 'like', `${FIXED_RATE_PREFIX}%`))
    .whereIn('StoreId', [0, storeId])
    .select('Name', 'Value', 'StoreId');
  const value = (name: string) =>
    rows.filter((row) => row.Name.toLowerCase() === name).sort((a, b) => b.StoreId - a.StoreId)[0]?.Value.trim();
  const flag = (name: string, installed: boolean) => {
    const text = value(name)?.toLowerCase();
    return text === undefined ? installed : text === 'true';
  };
  const weights: Array<{ Id: number; SystemKeyword: string; Ratio: string }> = await db('MeasureWeight').select('Id', 'SystemKeyword', 'Ratio');
  const baseWeightId = Number(value('measuresettings.baseweightid'));
  if (!weights.some((w) => w.Id === baseWeightId)) {
    throw new Error(`the shop's base weight (Setting measuresettings.baseweightid = ${value('measuresettings.baseweightid')}) is not a MeasureWeight row`);
  }
  return {
    seo: {
      convertNonWesternChars: flag('seosettings.convertnonwesternchars', false),
      allowUnicodeCharsInUrls: flag('seosettings.allowunicodecharsinurls', true),
    },
    baseWeightId,
    weights: new Map(weights.map((w) => [w.SystemKeyword.toLowerCase(), { id: w.Id, ratio: String(w.Ratio) }])),
    tax: {
      // A missing row leaves the property's C# default (what nopCommerce then uses), not the installer's value.
      pricesIncludeTax: flag(TAX.pricesIncludeTax, false),
      // Enums are stored by name; a number is the enum's value (IncludingTax = 0, ExcludingTax = 10).
      displayType: ['includingtax', '0'].includes(value(TAX.displayType)?.toLowerCase() ?? '0') ? 'IncludingTax' : 'ExcludingTax',
      allowCustomerDisplayType: flag(TAX.allowCustomerDisplayType, false),
      provider: value(TAX.provider) ?? '',
      countryStateZip: flag(TAX.countryStateZip, false),
      roundDuringCalculation: flag(TAX.roundDuringCalculation, false),
      fixedRates: new Map(
        rows
          .filter((row) => row.StoreId === 0 && row.Name.toLowerCase().startsWith(FIXED_RATE_PREFIX))
          .map((row) => [Number(row.Name.slice(FIXED_RATE_PREFIX.length)), row.Value.trim()] as const)
          .filter(([id, rate]) => Number.isInteger(id) && /^\d+(\.\d+)?$/.test(rate)),
      ),
    },
  };
}

/**
 * A Kit Builder weight in the shop's base weight unit, as MeasureService.ConvertToPrimaryMeasureWeightAsync does:
 * unchanged when the unit is the base unit or the weight is 0, else divided by the unit's Ratio (how many of it
 * make one base unit). Rounded to the 4 decimals (WEIGHT_DECIMALS) of Product.Weight.
 */
export function toBaseWeight(value: number, unit: WeightUnit, shop: Pick<ShopSettings, 'baseWeightId' | 'weights'>): string {
  const source = shop.weights.get(WEIGHT_UNITS[unit]);
  if (!source) throw new Error(`the shop has no MeasureWeight with SystemKeyword "${WEIGHT_UNITS[unit]}" (KITBUILDER_WEIGHT_UNIT=${unit})`);
  if (value === 0 || source.id === shop.baseWeightId) return value.toFixed(WEIGHT_DECIMALS);
  const ratio = Number(source.ratio);
  if (ratio === 0) throw new Error(`the shop's MeasureWeight "${WEIGHT_UNITS[unit]}" has Ratio 0`);
  const scale = 10 ** WEIGHT_DECIMALS;
  return (Math.round((value / ratio) * scale) / scale).toFixed(WEIGHT_DECIMALS);
}
