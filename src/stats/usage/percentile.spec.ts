import { percentileIndex } from './percentile.js';

describe(percentileIndex.name, () => {
  const percentileOf = (values: number[], p: number) => {
    const index = percentileIndex(values.length, p);
    return index === undefined ? undefined : [...values].sort((a, b) => a - b)[index];
  };

  it('picks the nearest-rank value', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i + 1) * 10);
    expect(percentileOf(values, 0.5)).toBe(100);
    expect(percentileOf(values, 0.95)).toBe(190);
    expect(percentileOf(values, 1)).toBe(200);
  });

  it('handles one value and none', () => {
    expect(percentileOf([42], 0.5)).toBe(42);
    expect(percentileOf([42], 0.95)).toBe(42);
    expect(percentileIndex(0, 0.5)).toBeUndefined();
  });

  it('p50 of an even count is the lower middle value', () => {
    expect(percentileOf([1, 2, 3, 4], 0.5)).toBe(2);
  });
});
