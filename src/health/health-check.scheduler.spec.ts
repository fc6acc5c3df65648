import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import fc from 'fast-check';
import { CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-bookkeeping.js';
import type { HealthCheckConfigService } from './health-check-config.service.js';
import { HEALTH_CHECK_JOB, HealthCheckScheduler } from './health-check.scheduler.js';
import type { HealthChecker, RunSummary } from './health-checker.service.js';
import type { LeaderElections } from '../lease/leader-elections.service.js';

const SUMMARY: RunSummary = {
  checked: 0,
  passed: 0,
  failed: 0,
  unhealthy: 0,
  waiting: 0,
  skipped: 0,
  durationMs: 0,
};

describe(HealthCheckScheduler.name, () => {
  let registry: SchedulerRegistry;
  let settings: CheckSettings;
  let runs: number;
  let release: () => void;
  let logged: string[];
  let sut: HealthCheckScheduler;

  beforeEach(() => {
    logged = [];
    for (const level of ['log', 'error'] as const)
      jest
        .spyOn(Logger.prototype, level)
        .mockImplementation(
          (message: unknown) =>
            void logged.push(typeof message === 'string' ? message : JSON.stringify(message)),
        );
    registry = new SchedulerRegistry();
    settings = { ...DEFAULT_CHECK_SETTINGS, intervalMinutes: 1 };
    runs = 0;
    const checker = {
      runAll: () => {
        runs += 1;
        return new Promise<RunSummary>((resolve) => (release = () => resolve(SUMMARY)));
      },
    } as unknown as HealthChecker;
    const config = { get: () => settings } as unknown as HealthCheckConfigService;
    sut = new HealthCheckScheduler(registry, checker, config, {
      minuteMs: 60_000,
      probeTimeoutMs: 1000,
      concurrency: 2,
      leaseTtlMs: 15_000,
    });
  });

  afterEach(async () => {
    release?.();
    await sut.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('logs "Health check service started" and registers one interval job', async () => {
    await sut.onApplicationBootstrap();

    expect(logged[0]).toMatch(/^Health check service started: every 1 minute/);
    expect(registry.getIntervals()).toEqual([HEALTH_CHECK_JOB]);
    expect(sut.intervalMs).toBe(60_000);
  });

  it('reschedules with a new interval and stops when disabled', () => {
    sut.reschedule();
    settings = { ...settings, intervalMinutes: 10 };
    sut.reschedule();
    expect(sut.intervalMs).toBe(600_000);
    expect(logged).toContain(
      'Health check job rescheduled: every 10 minute(s), max_error_count 5, retry_after_hours 1',
    );

    settings = { ...settings, enabled: false };
    sut.reschedule();
    expect(registry.getIntervals()).toEqual([]);
    expect(sut.intervalMs).toBeUndefined();
  });

  it('never overlaps runs and survives a failed run', async () => {
    const first = sut.runNow();
    expect(sut.runNow()).toBe(first);
    release();
    await expect(first).resolves.toEqual(SUMMARY);
    expect(runs).toBe(1);

    const failing = { runAll: () => Promise.reject(new Error('database gone')) } as unknown as HealthChecker;
    const other = new HealthCheckScheduler(
      registry,
      failing,
      { get: () => settings } as unknown as HealthCheckConfigService,
      { minuteMs: 1, probeTimeoutMs: 1, concurrency: 1, leaseTtlMs: 15_000 },
    );
    await expect(other.runNow()).resolves.toBeUndefined();
    expect(logged).toContain(JSON.stringify({ msg: 'Health check run failed', error: 'database gone' }));
    await expect(other.runNow()).resolves.toBeUndefined(); // the next run is not blocked
  });

  // Seed 002: start/stop is idempotent.
  it('holds at most one job, present exactly when the last call left it enabled', () => {
    const call = fc.oneof(
      fc.constant({ op: 'stop' as const }),
      fc.record({
        op: fc.constant('reschedule' as const),
        enabled: fc.boolean(),
        minutes: fc.integer({ min: 1, max: 3 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(call, { maxLength: 30 }), (calls) => {
        let expected: number | undefined;
        for (const c of calls) {
          if (c.op === 'stop') {
            sut.stop();
            expected = undefined;
          } else {
            settings = { ...settings, enabled: c.enabled, intervalMinutes: c.minutes };
            sut.reschedule();
            expected = c.enabled ? c.minutes * 60_000 : undefined;
          }
          expect(registry.getIntervals()).toEqual(expected === undefined ? [] : [HEALTH_CHECK_JOB]);
          expect(sut.intervalMs).toBe(expected);
        }
        sut.stop();
        sut.stop();
        expect(registry.getIntervals()).toEqual([]);
      }),
    );
  });

  it('runs the scheduled ticks only while this replica holds the lease', async () => {
    let leader = false;
    const stopped: string[] = [];
    const elections = {
      elect: (name: string) => ({
        start: () => Promise.resolve(),
        isLeader: () => leader,
        stop: () => Promise.resolve(void stopped.push(name)),
      }),
    } as unknown as LeaderElections;
    const checker = { runAll: () => Promise.resolve(SUMMARY) } as unknown as HealthChecker;
    const replica = new HealthCheckScheduler(
      new SchedulerRegistry(),
      checker,
      { get: () => settings } as unknown as HealthCheckConfigService,
      { minuteMs: 60_000, probeTimeoutMs: 1, concurrency: 1, leaseTtlMs: 15_000 },
      elections,
    );
    await replica.onApplicationBootstrap();

    await expect(replica.runScheduled()).resolves.toBeUndefined();
    leader = true;
    await expect(replica.runScheduled()).resolves.toEqual(SUMMARY);
    await expect(replica.runNow()).resolves.toEqual(SUMMARY); // an explicit run needs no lease

    await replica.onModuleDestroy();
    expect(stopped).toEqual([HEALTH_CHECK_JOB]); // the lease is given up on shutdown
  });
});
