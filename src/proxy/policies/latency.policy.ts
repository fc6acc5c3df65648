import { Balancer, PolicyContext, randomIndex, swap } from './balancer.js';

// Lowest moving average of successful latencies. Untried items go first (they have no average
// yet), and with probability EXPLORATION a pick is uniform, so a key that was slow once gets
// measured again instead of being starved for good.

export const EXPLORATION = 0.05;

export const lowestLatency: Balancer = {
  policy: 'latency',
  usesTurns: false,
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void {
    if (from >= items.length - 1) return;
    const { signals, random } = ctx;
    let chosen = -1;
    let untried = 0;
    let best = Number.POSITIVE_INFINITY;
    let fastest = from;
    for (let i = from; i < items.length; i += 1) {
      const latency = signals.latencyMs(items[i]);
      if (latency === undefined) {
        untried += 1;
        if (random() * untried < 1) chosen = i; // reservoir sampling: uniform among the untried
      } else if (latency < best) {
        best = latency;
        fastest = i;
      }
    }
    if (chosen < 0) chosen = random() < EXPLORATION ? randomIndex(random, from, items.length) : fastest;
    swap(items, from, chosen);
  },
};
