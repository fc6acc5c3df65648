import { Balancer, PolicyContext } from './balancer.js';

// Each request of a scope starts one item further along the ring; its failover continues around
// the ring. The turn comes from RoundRobinTurns (one counter per scope, O(1)).

export const roundRobin: Balancer = {
  policy: 'round_robin',
  usesTurns: true,
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void {
    // The first pick rotates the array once; the ring order then stands for the later picks.
    if (from !== 0 || items.length < 2) return;
    rotateLeft(items, ctx.turn % items.length);
  },
};

function rotateLeft<T>(items: T[], by: number): void {
  if (by === 0) return;
  reverse(items, 0, by - 1);
  reverse(items, by, items.length - 1);
  reverse(items, 0, items.length - 1);
}

function reverse<T>(items: T[], start: number, end: number): void {
  for (let i = start, j = end; i < j; i += 1, j -= 1) {
    const item = items[i];
    items[i] = items[j];
    items[j] = item;
  }
}
