import { toBaseWeight, type ShopSettings } from '../../src/nopcommerce/settings';

/** MeasureWeight rows as InstallMeasuresAsync writes them (schema-attributes.sql): non-metric (lb base) or metric (kg base). */
const shop = (metric: boolean): Pick<ShopSettings, 'baseWeightId' | 'weights'> => ({
  baseWeightId: metric ? 3 : 2,
  weights: new Map(
    metric
      ? [['ounce', { id: 1, ratio: '35.274' }], ['lb', { id: 2, ratio: '2.20462' }], ['kg', { id: 3, ratio: '1' }], ['grams', { id: 4, ratio: '1000' }]]
      : [['ounce', { id: 1, ratio: '16' }], ['lb', { id: 2, ratio: '1' }], ['kg', { id: 3, ratio: '0.45359237' }], ['grams', { id: 4, ratio: '453.59237' }]],
  ),
});

it.each([
  [1.5, 'kg', false, '3.3069'],
  [1.5, 'kg', true, '1.5000'],
  [250, 'g', true, '0.2500'],
  [250, 'g', false, '0.5512'],
  [2, 'lb', false, '2.0000'],
  [2, 'lb', true, '0.9072'],
  [8, 'oz', false, '0.5000'],
  [0, 'g', false, '0.0000'],
] as const)('writes %p %s as the shop’s base unit (metric shop: %p) like MeasureService: %p', (value, unit, metric, stored) => {
  expect(toBaseWeight(value, unit, shop(metric))).toBe(stored);
});

it('refuses a unit the shop has no MeasureWeight row for, naming the setting', () => {
  const noGrams = shop(true);
  noGrams.weights.delete('grams');
  expect(() => toBaseWeight(1, 'g', noGrams)).toThrow('the shop has no MeasureWeight with SystemKeyword "grams" (KITBUILDER_WEIGHT_UNIT=g)');
});
