import { parseStatusFilter } from './status-filter.js';

describe(parseStatusFilter.name, () => {
  it.each([
    ['200', { min: 200, max: 200 }],
    ['429', { min: 429, max: 429 }],
    ['4xx', { min: 400, max: 499 }],
    ['5XX', { min: 500, max: 599 }],
    ['error', { min: 400, max: 599 }],
    ['success', { min: 200, max: 399 }],
  ])('reads %s', (filter, range) => {
    expect(parseStatusFilter(filter)).toEqual(range);
  });

  it.each(['', '99', '600', '6xx', '4x', 'errors', '200,500', '2000'])('refuses %j', (filter) => {
    expect(parseStatusFilter(filter)).toBeUndefined();
  });
});
