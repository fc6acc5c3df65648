import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import fc from 'fast-check';
import type { DataSource, Repository } from 'typeorm';
import { loadConfig } from '../config/load-config.js';
import type { RoutableGroup } from '../routing/routing-snapshot.js';
import type { RoutingSource } from '../routing/routing-source.js';
import { routableGroup } from './__fixtures__/routable-group.js';
import { RoutingTable } from '../routing/routing-table.js';
import { CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-bookkeeping.js';
import type { HealthCheckConfigService } from './health-check-config.service.js';
import { HealthChecker } from './health-checker.service.js';
import { HealthPersistence } from './health-persistence.service.js';
import { HealthClock, HealthState } from '../key-health/health-state.service.js';
import type { KeyProber, ProbeAttempt } from './key-prober.service.js';
import type { ProviderValidation } from './provider-validation.entity.js';

// Given, so that loading the configuration writes no secrets file.
const TEST_SECRETS = { JWT_SECRET: 'test-jwt-secret-'.repeat(2), ENCRYPTION_KEY: '0'.repeat(64) };

const START = 1_700_000_000_000;
const HOUR = 3_600_000;

describe(HealthChecker.name, () => {
  let clock: HealthClock & { t: number };
  let health: HealthState;
  let persistence: HealthPersistence;
  let groups: RoutableGroup[];
  let routing: RoutingTable;
  let answers: Map<number, boolean>;
  let probed: number[];
  let settings: CheckSettings;
  let sut: HealthChecker;

  // A fresh checker over real HealthState and HealthPersistence (database writes dropped).
  function build(): void {
    clock = { t: START, now: () => clock.t, random: () => 0.5 };
    health = new HealthState(loadConfig(TEST_SECRETS), clock);
    const repo = {
      upsert: async () => undefined,
      find: async () => [],
    } as unknown as Repository<ProviderValidation>;
    const dataSource = {
      transaction: async (work: (manager: unknown) => Promise<void>) => work({ getRepository: () => repo }),
    } as unknown as DataSource;
    persistence = new HealthPersistence(repo, dataSource, health);
    groups = [];
    answers = new Map();
    probed = [];
    const source: RoutingSource = { load: async () => ({ groups, proxyKeys: [] }) };
    routing = new RoutingTable(source);
    const prober = {
      probe: async (_group: RoutableGroup, key: { id: number }): Promise<ProbeAttempt> => {
        probed.push(key.id);
        const ok = answers.get(key.id) ?? true;
        return ok
          ? { ok, status: 200, latencyMs: 1, invalidatesKey: false }
          : { ok, status: 500, error: 'upstream answered 500: boom', latencyMs: 1, invalidatesKey: false };
      },
    } as unknown as KeyProber;
    const config = { get: () => settings } as unknown as HealthCheckConfigService;
    sut = new HealthChecker(routing, prober, health, persistence, config, {
      minuteMs: 60_000,
      probeTimeoutMs: 1000,
      concurrency: 3,
      leaseTtlMs: 15_000,
    });
  }

  beforeEach(() => {
    for (const level of ['log', 'warn', 'debug'] as const)
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    settings = { ...DEFAULT_CHECK_SETTINGS, maxErrorCount: 3 };
    build();
  });

  afterEach(() => jest.restoreAllMocks());

  it('is fine with no groups', async () => {
    await expect(sut.runAll()).resolves.toMatchObject({ checked: 0, passed: 0, failed: 0, waiting: 0 });
  });

  it('takes a key out after max_error_count failed checks, waits retry_after, then recovers it', async () => {
    groups = [routableGroup(1, [11, 12])];
    await routing.rebuild();
    answers.set(11, false);
    for (let run = 0; run < 3; run += 1) await sut.runAll();
    expect(health.availability(11)).toEqual({
      available: false,
      reason: 'unhealthy_by_checks',
      availableAt: START + HOUR,
    });
    expect(persistence.recordOf(11)).toMatchObject({
      errorCount: 3,
      lastStatusCode: 500,
      nextRetryAt: START + HOUR,
    });

    probed = [];
    await expect(sut.runAll()).resolves.toMatchObject({ checked: 1, waiting: 1 });
    expect(probed).toEqual([12]);

    clock.t = START + HOUR;
    answers.set(11, true);
    probed = [];
    await sut.runAll();
    expect(probed.sort()).toEqual([11, 12]);
    expect(health.availability(11)).toEqual({ available: true, reason: 'ok' });
    expect(persistence.recordOf(11)).toMatchObject({
      errorCount: 0,
      consecutiveSuccesses: 1,
      nextRetryAt: undefined,
    });
  });

  it('re-validates an invalid key and closes an open breaker when a check passes', async () => {
    groups = [routableGroup(1, [11, 12])];
    await routing.rebuild();
    const ref = (keyId: number) => ({ groupId: 1, groupName: 'g1', keyId, masked: `sk-…${keyId}` });
    health.markInvalid(ref(11), 401);
    for (let i = 0; i < 3; i += 1)
      health.recordOutcome(
        ref(12),
        { success: false, breakerFailure: true, invalidatesKey: false, kind: 'server_error' },
        5,
      );
    expect(health.availability(12).reason).toBe('breaker_open');

    await sut.checkGroup(1);

    expect(health.availability(11)).toEqual({ available: true, reason: 'ok' });
    expect(health.availability(12)).toEqual({ available: true, reason: 'ok' });
  });

  // Seed 002: every enabled provider is checked each run; status and recovery follow the checks.
  it('probes every due key once per run and keeps each key’s verdict in step with its checks', async () => {
    const shape = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 });
    const runs = fc.array(fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), {
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(
        shape,
        runs,
        fc.integer({ min: 1, max: 3 }),
        async (sizes, outcomes, maxErrorCount) => {
          settings = { ...DEFAULT_CHECK_SETTINGS, maxErrorCount, retryAfterHours: 1 };
          build();
          let nextId = 1;
          groups = sizes.map((size, g) =>
            routableGroup(
              g + 1,
              Array.from({ length: size }, () => nextId++),
            ),
          );
          await routing.rebuild();
          const keyIds = groups.flatMap((g) => g.keys.map((k) => k.id));
          const streak = new Map<number, number>();
          for (const [run, passes] of outcomes.entries()) {
            clock.t = START + run * 20 * 60_000; // 20 minutes apart: an unhealthy key waits 3 runs
            const due = keyIds.filter((id) => (persistence.recordOf(id).nextRetryAt ?? 0) <= clock.t);
            keyIds.forEach((id) => answers.set(id, passes[id % 16]));
            probed = [];
            await sut.runAll();
            expect([...probed].sort((a, b) => a - b)).toEqual(due);
            for (const id of due) streak.set(id, answers.get(id) ? 0 : (streak.get(id) ?? 0) + 1);
            for (const id of keyIds) {
              const failures = streak.get(id) ?? 0;
              expect(persistence.recordOf(id).errorCount).toBe(failures);
              const unhealthy = failures >= maxErrorCount;
              expect(health.isAvailable(id)).toBe(!unhealthy);
              if (unhealthy) expect(health.availability(id).reason).toBe('unhealthy_by_checks');
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
