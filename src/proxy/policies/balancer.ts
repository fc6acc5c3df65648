import type { BalancePolicy } from '../../config/app-config.js';

// The balance policies of ROUTING.md ("Order and balance") share one shape: pick the next item
// from what is left. Called for positions 0, 1, 2 … of one array they produce the policy's order
// lazily, so the failover loop pays only for the picks it uses (usually one), in place, without
// allocating.

/** What a policy may read about an item (a key, or a group for the global policy). */
export interface BalanceSignals<T> {
  weight(item: T): number;
  inFlight(item: T): number;
  recentRequests(item: T): number;
  /** Moving average of successful latencies; undefined while untried. */
  latencyMs(item: T): number | undefined;
}

export interface PolicyContext<T> {
  readonly signals: BalanceSignals<T>;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  /** Round robin: this scope's turn (RoundRobinTurns). Ignored by the other policies. */
  readonly turn: number;
}

export interface Balancer {
  readonly policy: BalancePolicy;
  /** True when `PolicyContext.turn` is read, so that other policies never advance a turn. */
  readonly usesTurns: boolean;
  /**
   * Moves the policy's next choice among `items[from..]` to `items[from]`. Must be called with
   * from = 0, 1, 2 … in order on the same array and context.
   */
  selectNext<T>(items: T[], from: number, ctx: PolicyContext<T>): void;
}

/** The whole order as a new array (for tests and explanations; the hot path selects lazily). */
export function order<T>(balancer: Balancer, items: readonly T[], ctx: PolicyContext<T>): T[] {
  const copy = [...items];
  for (let from = 0; from < copy.length; from += 1) balancer.selectNext(copy, from, ctx);
  return copy;
}

export function swap<T>(items: T[], i: number, j: number): void {
  if (i === j) return;
  const item = items[i];
  items[i] = items[j];
  items[j] = item;
}

/** A uniform index in [from, end). */
export function randomIndex(random: () => number, from: number, end: number): number {
  return Math.min(end - 1, from + Math.floor(random() * (end - from)));
}
