import fc from 'fast-check';
import { BreakerSettings, CircuitBreaker } from './circuit-breaker.js';

const SEED_003: BreakerSettings = {
  failureThreshold: 3,
  failureWindowMs: 60_000,
  baseBackoffMs: 60_000,
  maxBackoffMs: 600_000,
  jitter: 0.2,
  successThreshold: 2,
  halfOpenMaxConcurrent: 1,
};

const settingsArb: fc.Arbitrary<BreakerSettings> = fc.record({
  failureThreshold: fc.integer({ min: 1, max: 6 }),
  failureWindowMs: fc.integer({ min: 1, max: 120_000 }),
  baseBackoffMs: fc.integer({ min: 10, max: 120_000 }),
  maxBackoffMs: fc.integer({ min: 10, max: 1_200_000 }),
  jitter: fc.double({ min: 0, max: 0.9, noNaN: true }),
  successThreshold: fc.integer({ min: 1, max: 4 }),
  halfOpenMaxConcurrent: fc.integer({ min: 1, max: 4 }),
});
const unitArb = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Opens a closed breaker at `now` with threshold failures at the same instant. */
function openAt(sut: CircuitBreaker, settings: BreakerSettings, now: number) {
  let transition;
  for (let i = 0; i < settings.failureThreshold; i += 1) transition = sut.recordFailure(now);
  return transition;
}

function backoffBounds(settings: BreakerSettings, level: number): [number, number] {
  const raw = CircuitBreaker.backoffMs(settings, level);
  return [
    Math.floor(raw * (1 - settings.jitter)),
    Math.min(settings.maxBackoffMs, Math.ceil(raw * (1 + settings.jitter))),
  ];
}

describe(CircuitBreaker.name, () => {
  it('opens after 3 failures within 60 s and says when to retry', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);

    expect(sut.recordFailure(0)).toBeUndefined();
    expect(sut.recordFailure(10_000)).toBeUndefined();
    const transition = sut.recordFailure(20_000);

    expect(transition).toMatchObject({
      from: 'closed',
      to: 'open',
      cause: 'failure_threshold',
      consecutiveFailures: 3,
    });
    expect(transition?.nextAttemptAt).toBe(80_000);
    expect(sut.canAdmit(79_999)).toBe(false);
    expect(sut.tryAcquire(79_999).admitted).toBe(false);
  });

  it('does not open when the three failures span more than the window, nor after a success', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    sut.recordFailure(0);
    sut.recordFailure(30_000);
    expect(sut.recordFailure(60_001)).toBeUndefined();
    sut.recordSuccess(60_002);
    sut.recordFailure(60_003);
    expect(sut.recordFailure(60_004)).toBeUndefined();
    expect(sut.state).toBe('closed');
    // The window is inclusive, and it slides: failures at 30 000, 60 001 and 70 000 do count.
    const edge = new CircuitBreaker(SEED_003, () => 0.5);
    [0, 30_000].forEach((at) => edge.recordFailure(at));
    expect(edge.recordFailure(60_000)?.to).toBe('open');
    const other = new CircuitBreaker(SEED_003, () => 0.5);
    [0, 30_000, 60_001].forEach((at) => other.recordFailure(at));
    expect(other.recordFailure(70_000)?.to).toBe('open');
  });

  it('half-opens when due, admits one trial at a time, and closes after 2 successes with the level reset', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    openAt(sut, SEED_003, 0);

    const first = sut.tryAcquire(60_000);
    expect(first).toMatchObject({
      admitted: true,
      transition: { from: 'open', to: 'half_open', cause: 'backoff_elapsed' },
    });
    expect(first.trial).toBeGreaterThan(0);
    expect(sut.tryAcquire(60_001).admitted).toBe(false);
    sut.release(first.trial);
    expect(sut.recordSuccess(60_002)).toBeUndefined();
    const second = sut.tryAcquire(60_003);
    expect(second).toMatchObject({ admitted: true, transition: undefined });
    sut.release(second.trial);

    expect(sut.recordSuccess(60_004)).toMatchObject({
      from: 'half_open',
      to: 'closed',
      cause: 'success_threshold',
      consecutiveSuccesses: 2,
    });
    expect(sut.openedCount).toBe(0);
    expect(openAt(sut, SEED_003, 100_000)?.nextAttemptAt).toBe(160_000);
  });

  it('re-opens at the next level when a half-open trial fails', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    openAt(sut, SEED_003, 0);
    sut.tryAcquire(60_000);

    const transition = sut.recordFailure(61_000);

    expect(transition).toMatchObject({
      from: 'half_open',
      to: 'open',
      cause: 'trial_failed',
      openedCount: 2,
    });
    expect(transition?.nextAttemptAt).toBe(61_000 + 120_000);
  });

  it('ignores late answers while open and stale trial slots from an earlier half-open period', () => {
    const sut = new CircuitBreaker({ ...SEED_003, successThreshold: 1 }, () => 0.5);
    openAt(sut, SEED_003, 0);
    expect(sut.recordSuccess(1_000)).toBeUndefined();
    expect(sut.state).toBe('open');

    const stale = sut.tryAcquire(60_000);
    sut.recordFailure(60_001); // re-opened; the stale trial is still out
    const fresh = sut.tryAcquire(60_001 + 120_000);
    sut.release(stale.trial);

    expect(sut.trialsInFlight).toBe(1);
    expect(sut.tryAcquire(60_001 + 120_001).admitted).toBe(false);
    sut.release(fresh.trial);
    expect(sut.trialsInFlight).toBe(0);
  });

  it('takes a forced (fail-open) trial before the back-off is over, even beyond the slot limit', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    openAt(sut, SEED_003, 0);

    expect(sut.tryAcquire(1_000, true)).toMatchObject({
      admitted: true,
      transition: { cause: 'forced_trial' },
    });
    expect(sut.tryAcquire(1_001, true).admitted).toBe(true);
    expect(sut.trialsInFlight).toBe(2);
  });

  it('reset closes from any state and forgets the back-off level', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    openAt(sut, SEED_003, 0);

    expect(sut.reset()).toMatchObject({ from: 'open', to: 'closed', cause: 'reset' });
    expect(sut.reset()).toBeUndefined();
    expect(openAt(sut, SEED_003, 0)?.openedCount).toBe(1);
  });

  it('restores from its snapshot, including the failure streak of a closed breaker', () => {
    const sut = new CircuitBreaker(SEED_003, () => 0.5);
    sut.recordFailure(1_000);
    sut.recordFailure(2_000);

    const restored = CircuitBreaker.restore(sut.snapshot(), SEED_003, () => 0.5);

    expect(restored.snapshot()).toEqual(sut.snapshot());
    expect(restored.recordFailure(3_000)?.to).toBe('open');
    const open = CircuitBreaker.restore(restored.snapshot(), SEED_003);
    expect(open.snapshot()).toMatchObject({ state: 'open', openedCount: 1, nextAttemptAt: 63_000 });
  });

  describe('properties', () => {
    it('opens exactly when the last failureThreshold answers are failures within failureWindowMs', () => {
      const events = fc.array(fc.record({ failed: fc.boolean(), gap: fc.integer({ min: 0, max: 50_000 }) }), {
        maxLength: 60,
      });
      fc.assert(
        fc.property(settingsArb, events, (settings, steps) => {
          const sut = new CircuitBreaker(settings, () => 0.5);
          const history: { at: number; failed: boolean }[] = [];
          let now = 0;
          for (const step of steps) {
            now += step.gap;
            history.push({ at: now, failed: step.failed });
            const transition = step.failed ? sut.recordFailure(now) : sut.recordSuccess(now);
            const last = history.slice(-settings.failureThreshold);
            const shouldOpen =
              last.length === settings.failureThreshold &&
              last.every((e) => e.failed) &&
              now - last[0].at <= settings.failureWindowMs;
            expect(transition?.to === 'open').toBe(shouldOpen);
            if (shouldOpen) return;
          }
        }),
      );
    });

    it('keeps every back-off within base·2^(n-1)·(1±jitter), capped at maxBackoffMs', () => {
      fc.assert(
        fc.property(settingsArb, fc.array(unitArb, { minLength: 1, maxLength: 14 }), (settings, draws) => {
          let draw = 0;
          const sut = new CircuitBreaker(settings, () => draws[draw++ % draws.length]);
          let now = 0;
          let transition = openAt(sut, settings, now);
          for (let level = 1; level <= draws.length; level += 1) {
            const [low, high] = backoffBounds(settings, level);
            expect(transition?.openedCount).toBe(level);
            expect(transition!.nextAttemptAt! - now).toBeGreaterThanOrEqual(
              Math.min(low, settings.maxBackoffMs),
            );
            expect(transition!.nextAttemptAt! - now).toBeLessThanOrEqual(high);
            now = transition!.nextAttemptAt!;
            expect(sut.tryAcquire(now).admitted).toBe(true);
            transition = sut.recordFailure(now);
          }
        }),
      );
    });

    it('never lets more than halfOpenMaxConcurrent trials run at once', () => {
      const op = fc.oneof(
        fc.constant({ kind: 'acquire' as const }),
        fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
        fc.constant({ kind: 'success' as const }),
        fc.constant({ kind: 'failure' as const }),
        fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 1_500_000 }) }),
      );
      fc.assert(
        fc.property(settingsArb, fc.array(op, { maxLength: 80 }), (settings, ops) => {
          const sut = new CircuitBreaker(settings, () => 0.5);
          let now = 0;
          openAt(sut, settings, now);
          const held: number[] = [];
          for (const step of ops) {
            if (step.kind === 'acquire') {
              const admission = sut.tryAcquire(now);
              if (admission.trial > 0) held.push(admission.trial);
            } else if (step.kind === 'release' && held.length > 0) {
              sut.release(held.splice(step.pick % held.length, 1)[0]);
            } else if (step.kind === 'success') sut.recordSuccess(now);
            else if (step.kind === 'failure') sut.recordFailure(now);
            else if (step.kind === 'wait') now += step.ms;
            expect(sut.trialsInFlight).toBeLessThanOrEqual(settings.halfOpenMaxConcurrent);
            expect(sut.trialsInFlight).toBeGreaterThanOrEqual(0);
            if (sut.state !== 'half_open') expect(sut.trialsInFlight).toBe(0);
          }
        }),
      );
    });

    it('closes after successThreshold successes in half-open and starts the next opening at level 1', () => {
      fc.assert(
        fc.property(settingsArb, fc.integer({ min: 1, max: 6 }), unitArb, (settings, levels, r) => {
          const sut = new CircuitBreaker(settings, () => r);
          let now = 0;
          let transition = openAt(sut, settings, now);
          for (let level = 1; level < levels; level += 1) {
            now = transition!.nextAttemptAt!;
            sut.tryAcquire(now);
            transition = sut.recordFailure(now);
            expect(transition).toMatchObject({ from: 'half_open', to: 'open', openedCount: level + 1 });
          }
          now = transition!.nextAttemptAt!;
          for (let i = 1; i <= settings.successThreshold; i += 1) {
            const admission = sut.tryAcquire(now);
            expect(admission.admitted).toBe(true);
            const closed = sut.recordSuccess(now);
            sut.release(admission.trial);
            expect(closed?.to).toBe(i === settings.successThreshold ? 'closed' : undefined);
          }
          expect(sut.openedCount).toBe(0);
          const reopened = openAt(sut, settings, now);
          const [low, high] = backoffBounds(settings, 1);
          expect(reopened!.nextAttemptAt! - now).toBeGreaterThanOrEqual(Math.min(low, settings.maxBackoffMs));
          expect(reopened!.nextAttemptAt! - now).toBeLessThanOrEqual(high);
        }),
      );
    });
  });
});
