import { Balancer, PolicyContext, randomIndex, swap } from './balancer.js';

// A weighted draw without replacement: each pick is proportional to weight among the items left.
// Weight 0 means "not while anything else is left": such items come last, in random order.

export const weighted: Balancer = {
  policy: 'weighted',
  usesTurns: false,
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void {
    if (from >= items.length - 1) return;
    const { signals } = ctx;
    let total = 0;
    for (let i = from; i < items.length; i += 1) total += positive(signals.weight(items[i]));
    if (total <= 0) {
      swap(items, from, randomIndex(ctx.random, from, items.length));
      return;
    }
    let remaining = ctx.random() * total;
    let chosen = -1;
    for (let i = from; i < items.length; i += 1) {
      const weight = positive(signals.weight(items[i]));
      if (weight === 0) continue;
      chosen = i; // the last positive one absorbs floating-point rounding
      remaining -= weight;
      if (remaining < 0) break;
    }
    swap(items, from, chosen);
  },
};

function positive(weight: number): number {
  return Number.isFinite(weight) && weight > 0 ? weight : 0;
}
