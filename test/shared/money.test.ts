import { formatMinor, toMinor } from '../../src/shared/money';

it.each([
  [119.5, 11950n, true],
  [0.1, 10n, true],
  [10.005, 1001n, false],
  [10.004, 1000n, false],
  [1e-7, 0n, false],
  [123456789.99, 12345678999n, true],
  [0, 0n, true],
])('reads %p as %p minor units (exact: %p)', (value, minor, exact) => {
  expect(toMinor(value)).toEqual({ minor, exact });
});

it('adds 0.1 and 0.2 to exactly 0.30', () => {
  expect(formatMinor(toMinor(0.1).minor + toMinor(0.2).minor)).toBe('0.30');
});
