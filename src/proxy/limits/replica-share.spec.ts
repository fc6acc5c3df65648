import { budgetSpent, replicaShare } from './replica-share.js';

describe('replicaShare', () => {
  it.each([
    [10, 1, 10],
    [10, 2, 5],
    [10, 3, 3],
    [1, 4, 1],
    [1000, 0, 1000],
  ])('limit %i over %i replicas: %i each', (limit, replicas, share) => {
    expect(replicaShare(limit, replicas)).toBe(share);
  });

  it('never lets N replicas together pass the limit', () => {
    for (const replicas of [1, 2, 3, 7])
      for (const limit of [1, 9, 10, 61, 100_000])
        if (limit >= replicas) expect(replicaShare(limit, replicas) * replicas).toBeLessThanOrEqual(limit);
  });
});

describe('budgetSpent', () => {
  it('counts pending tokens once while Redis is up', () => {
    expect(budgetSpent(1000, 50, 3, true)).toBe(1050);
  });

  it('counts them once per expected replica while Redis is down', () => {
    expect(budgetSpent(1000, 50, 3, false)).toBe(1150);
    expect(budgetSpent(1000, 50, 1, false)).toBe(1050);
  });
});
