import fc from 'fast-check';
import type { CheckRecord } from './check-bookkeeping.js';
import { routableGroup } from './__fixtures__/routable-group.js';
import { mapWithConcurrency, planCheckRun } from './check-plan.js';

const NOW = 1_700_000_000_000;

describe('planCheckRun', () => {
  it('is fine with no groups', () => {
    expect(planCheckRun([], () => undefined, NOW)).toEqual({ targets: [], waiting: [] });
  });

  // Seed 002: every (enabled) provider is checked each run; only unhealthy ones wait for their retry.
  it('targets every key of every group except those waiting for their retry, each once', () => {
    const shape = fc.array(
      fc.array(fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: undefined }), { maxLength: 6 }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(shape, (retries) => {
        let nextId = 1;
        const records = new Map<number, CheckRecord>();
        const groups = retries.map((keys, g) =>
          routableGroup(
            g + 1,
            keys.map((offset) => {
              const id = nextId++;
              if (offset !== undefined)
                records.set(id, { errorCount: 5, consecutiveSuccesses: 0, nextRetryAt: NOW + offset });
              return id;
            }),
          ),
        );
        const plan = planCheckRun(groups, (id) => records.get(id), NOW);
        const targeted = plan.targets.map((t) => t.key.id);
        const waiting = plan.waiting.map((t) => t.key.id);
        const all = groups.flatMap((g) => g.keys.map((k) => k.id));
        expect(new Set(targeted).size).toBe(targeted.length);
        expect([...targeted, ...waiting].sort((a, b) => a - b)).toEqual(all);
        for (const id of waiting) expect(records.get(id)!.nextRetryAt!).toBeGreaterThan(NOW);
        for (const id of targeted) expect(records.get(id)?.nextRetryAt ?? NOW).toBeLessThanOrEqual(NOW);
      }),
    );
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the input order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 25 }),
        fc.integer({ min: 1, max: 5 }),
        async (delays, limit) => {
          let active = 0;
          let peak = 0;
          const results = await mapWithConcurrency(delays, limit, async (delay) => {
            active += 1;
            peak = Math.max(peak, active);
            await new Promise((resolve) => setTimeout(resolve, delay));
            active -= 1;
            return delay * 10;
          });
          expect(results).toEqual(delays.map((d) => d * 10));
          expect(peak).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 30 },
    );
  });
});
