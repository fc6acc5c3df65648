import fc from 'fast-check';
import { BALANCE_POLICIES } from '../../config/app-config.js';
import { BalanceSignals, order, PolicyContext } from './balancer.js';
import { EXPLORATION, lowestLatency } from './latency.policy.js';
import { leastUsed } from './least-used.policy.js';
import { policyFor } from './policy-registry.js';
import { randomPolicy } from './random.policy.js';
import { roundRobin } from './round-robin.policy.js';
import { RoundRobinTurns } from './round-robin-turns.js';
import { weighted } from './weighted.policy.js';

interface Item {
  readonly name: string;
  readonly weight?: number;
  readonly inFlight?: number;
  readonly recent?: number;
  readonly latency?: number;
}

const signals: BalanceSignals<Item> = {
  weight: (item) => item.weight ?? 1,
  inFlight: (item) => item.inFlight ?? 0,
  recentRequests: (item) => item.recent ?? 0,
  latencyMs: (item) => item.latency,
};

/** mulberry32: a small seeded generator, so distributions are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const items = (...names: string[]): Item[] => names.map((name) => ({ name }));

/** How often each item is the first pick over `runs` fresh orderings. */
function firstPicks(
  balancer: typeof roundRobin,
  list: Item[],
  runs: number,
  random = seeded(7),
): Map<string, number> {
  const counts = new Map<string, number>(list.map((item) => [item.name, 0]));
  const turns = new RoundRobinTurns();
  for (let run = 0; run < runs; run += 1) {
    const copy = [...list];
    balancer.selectNext(copy, 0, { signals, random, turn: turns.take(1) });
    counts.set(copy[0].name, counts.get(copy[0].name)! + 1);
  }
  return counts;
}

const names = (list: Item[]) => list.map((item) => item.name);

describe('balance policies', () => {
  it('policyFor returns the balancer of every configured policy name', () => {
    for (const name of BALANCE_POLICIES) expect(policyFor(name).policy).toBe(name);
  });

  it('every policy orders a list as a permutation of it', () => {
    const item = fc.record({
      name: fc.uuid(),
      weight: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
      inFlight: fc.nat(4),
      recent: fc.nat(10),
      latency: fc.option(fc.integer({ min: 1, max: 500 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...BALANCE_POLICIES),
        fc.array(item, { maxLength: 12 }),
        fc.nat(),
        (name, list, seed) => {
          const ctx: PolicyContext<Item> = { signals, random: seeded(seed), turn: seed };
          const ordered = order(policyFor(name), list, ctx);
          expect([...names(ordered)].sort()).toEqual([...names(list)].sort());
        },
      ),
    );
  });

  describe('round_robin', () => {
    it('starts each request one item further and continues around the ring', () => {
      const turns = new RoundRobinTurns();
      const list = items('a', 'b', 'c');
      const orders = [0, 1, 2, 3].map(() =>
        names(order(roundRobin, list, { signals, random: Math.random, turn: turns.take(5) })),
      );

      expect(orders).toEqual([
        ['a', 'b', 'c'],
        ['b', 'c', 'a'],
        ['c', 'a', 'b'],
        ['a', 'b', 'c'],
      ]);
    });

    it('spreads first picks exactly evenly, with one counter per scope', () => {
      expect([...firstPicks(roundRobin, items('a', 'b', 'c', 'd'), 400).values()]).toEqual([
        100, 100, 100, 100,
      ]);
      const turns = new RoundRobinTurns();
      turns.take(1);
      turns.take(1);
      expect(turns.take(2)).toBe(0);
      expect(turns.take(1)).toBe(2);
    });
  });

  describe('random', () => {
    it('picks each item about equally often', () => {
      const counts = firstPicks(randomPolicy, items('a', 'b', 'c', 'd'), 20_000);
      for (const count of counts.values()) expect(Math.abs(count - 5_000)).toBeLessThan(300);
    });
  });

  describe('weighted', () => {
    it('picks in proportion to weight', () => {
      const list: Item[] = [
        { name: 'light', weight: 1 },
        { name: 'medium', weight: 2 },
        { name: 'heavy', weight: 7 },
      ];
      const counts = firstPicks(weighted, list, 20_000);

      expect(counts.get('light')! / 20_000).toBeCloseTo(0.1, 1);
      expect(counts.get('medium')! / 20_000).toBeCloseTo(0.2, 1);
      expect(counts.get('heavy')! / 20_000).toBeCloseTo(0.7, 1);
      expect(Math.abs(counts.get('heavy')! - 14_000)).toBeLessThan(400);
    });

    it('never picks weight 0 while a weighted item is left, and picks among zeros when all are 0', () => {
      const list: Item[] = [
        { name: 'off', weight: 0 },
        { name: 'on', weight: 1 },
        { name: 'off2', weight: 0 },
      ];
      const random = seeded(3);
      for (let run = 0; run < 500; run += 1) {
        expect(order(weighted, list, { signals, random, turn: 0 })[0].name).toBe('on');
      }
      const zeros = firstPicks(
        weighted,
        [
          { name: 'x', weight: 0 },
          { name: 'y', weight: 0 },
        ],
        2_000,
      );
      expect(zeros.get('x')).toBeGreaterThan(800);
      expect(zeros.get('y')).toBeGreaterThan(800);
    });
  });

  describe('least_used', () => {
    it('picks the fewest in flight, then the fewest recent requests', () => {
      const list: Item[] = [
        { name: 'busy', inFlight: 3, recent: 0 },
        { name: 'idle-but-popular', inFlight: 0, recent: 9 },
        { name: 'idle', inFlight: 0, recent: 2 },
        { name: 'warm', inFlight: 1, recent: 0 },
      ];
      for (let seed = 0; seed < 50; seed += 1) {
        expect(names(order(leastUsed, list, { signals, random: seeded(seed), turn: 0 }))).toEqual([
          'idle',
          'idle-but-popular',
          'warm',
          'busy',
        ]);
      }
    });

    it('spreads ties instead of always taking the first', () => {
      const counts = firstPicks(leastUsed, items('a', 'b', 'c'), 3_000);
      for (const count of counts.values()) expect(count).toBeGreaterThan(800);
    });
  });

  describe('latency', () => {
    const list: Item[] = [
      { name: 'slow', latency: 900 },
      { name: 'fast', latency: 120 },
      { name: 'medium', latency: 300 },
    ];

    it('prefers the lowest average and still explores the others', () => {
      const counts = firstPicks(lowestLatency, list, 20_000);
      const expectedFast = 1 - EXPLORATION + EXPLORATION / 3;

      expect(counts.get('fast')! / 20_000).toBeCloseTo(expectedFast, 1);
      expect(counts.get('slow')).toBeGreaterThan(100);
      expect(counts.get('medium')).toBeGreaterThan(100);
    });

    it('tries untried items first, then orders by latency', () => {
      const withNew = [...list, { name: 'new' }];
      const noExploration = () => 0.99;

      expect(names(order(lowestLatency, withNew, { signals, random: noExploration, turn: 0 }))).toEqual([
        'new',
        'fast',
        'medium',
        'slow',
      ]);
    });
  });
});
