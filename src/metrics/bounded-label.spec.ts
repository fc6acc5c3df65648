import { BoundedLabel } from './bounded-label.js';

describe(BoundedLabel.name, () => {
  it('passes known values through and folds newcomers past the limit into "other"', () => {
    const sut = new BoundedLabel(2);
    expect(['a', 'b', 'a', 'c', 'b', 'd'].map((v) => sut.value(v))).toEqual([
      'a',
      'b',
      'a',
      'other',
      'b',
      'other',
    ]);
  });
});
