import { Balancer, PolicyContext, randomIndex, swap } from './balancer.js';

// A lazy Fisher–Yates shuffle: each pick is uniform among the items not yet picked.

export const randomPolicy: Balancer = {
  policy: 'random',
  usesTurns: false,
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void {
    if (from >= items.length - 1) return;
    swap(items, from, randomIndex(ctx.random, from, items.length));
  },
};
