import { Balancer, PolicyContext, randomIndex, swap } from './balancer.js';

// Fewest requests in flight, then fewest recent requests. The scan starts at a random position so
// that ties (an idle gateway) spread instead of always landing on the first item.

export const leastUsed: Balancer = {
  policy: 'least_used',
  usesTurns: false,
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void {
    const count = items.length - from;
    if (count < 2) return;
    const { signals } = ctx;
    const start = randomIndex(ctx.random, from, items.length);
    let best = start;
    let bestInFlight = signals.inFlight(items[start]);
    let bestRecent = signals.recentRequests(items[start]);
    for (let step = 1; step < count; step += 1) {
      const i = from + ((start - from + step) % count);
      const inFlight = signals.inFlight(items[i]);
      if (inFlight > bestInFlight) continue;
      const recent = signals.recentRequests(items[i]);
      if (inFlight === bestInFlight && recent >= bestRecent) continue;
      best = i;
      bestInFlight = inFlight;
      bestRecent = recent;
    }
    swap(items, from, best);
  },
};
