import { Inject, Injectable, Logger } from '@nestjs/common';
import { RoutingTable } from '../routing/routing-table.js';
import type { RoutableGroup, RoutableKey } from '../routing/routing-snapshot.js';
import { applyCheckResult, CheckVerdict, ProbeResult } from './check-bookkeeping.js';
import { mapWithConcurrency, planCheckRun } from './check-plan.js';
import { HealthCheckConfigService } from './health-check-config.service.js';
import { HEALTH_CHECK_TIMING, type HealthCheckTiming } from './health-check.timing.js';
import { HealthPersistence } from './health-persistence.service.js';
import { HealthState } from '../key-health/health-state.service.js';
import { refOf, type UpstreamKeyRef } from '../key-health/key-health.js';
import { isSkipped, KeyProber, ProbeAttempt } from './key-prober.service.js';
import { describeError } from '../common/describe-error.js';

export interface KeyCheckResult {
  readonly keyId: number;
  readonly verdict: CheckVerdict | 'skipped';
  readonly probe?: ProbeResult;
  readonly skipped?: string;
}

export interface RunSummary {
  readonly checked: number;
  readonly passed: number;
  readonly failed: number;
  readonly unhealthy: number;
  readonly waiting: number;
  readonly skipped: number;
  readonly durationMs: number;
}

/**
 * The scheduled checks' work (ROUTING.md "Scheduled health checks"): probes keys with a bounded
 * pool and a per-probe deadline, keeps each key's counters, and tells HealthState the verdict
 * (a pass closes the breaker, re-validates and recovers; enough failures make it unhealthy).
 */
@Injectable()
export class HealthChecker {
  private readonly logger = new Logger(HealthChecker.name);

  constructor(
    private readonly routing: RoutingTable,
    private readonly prober: KeyProber,
    private readonly health: HealthState,
    private readonly persistence: HealthPersistence,
    private readonly config: HealthCheckConfigService,
    @Inject(HEALTH_CHECK_TIMING) private readonly timing: HealthCheckTiming,
  ) {}

  /** One scheduled run over every enabled key of every enabled group, unhealthy ones waiting their turn. */
  async runAll(signal?: AbortSignal): Promise<RunSummary> {
    const started = Date.now();
    const snapshot = this.routing.current();
    const plan = planCheckRun(
      snapshot.groups,
      (keyId) => this.persistence.recordOf(keyId),
      this.health.now(),
    );
    const results = await mapWithConcurrency(plan.targets, this.timing.concurrency, ({ group, key }) =>
      this.checkKey(group, key, signal),
    );
    await this.persistence.flush();
    const count = (verdict: KeyCheckResult['verdict']) => results.filter((r) => r.verdict === verdict).length;
    const summary: RunSummary = {
      checked: results.length - count('skipped'),
      passed: count('passed'),
      failed: count('failed') + count('unhealthy'),
      unhealthy: count('unhealthy'),
      waiting: plan.waiting.length,
      skipped: count('skipped'),
      durationMs: Date.now() - started,
    };
    this.logger.log(
      `Health check run: ${summary.checked} key(s) checked in ${snapshot.groups.length} group(s), ${summary.passed} passed, ` +
        `${summary.failed} failed (${summary.unhealthy} now unhealthy), ${summary.waiting} waiting for their retry, ` +
        `${summary.skipped} skipped, ${summary.durationMs} ms`,
    );
    return summary;
  }

  /** A forced check of one group: every enabled key now, unhealthy ones included. */
  async checkGroup(groupId: number, signal?: AbortSignal): Promise<KeyCheckResult[]> {
    const group = this.routing.current().groups.find((candidate) => candidate.id === groupId);
    if (!group) return [];
    const results = await mapWithConcurrency(group.keys, this.timing.concurrency, (key) =>
      this.checkKey(group, key, signal),
    );
    await this.persistence.flush();
    return results;
  }

  /** Probes without touching any state: the admin "test" button. */
  async probeGroup(group: RoutableGroup): Promise<Array<{ key: RoutableKey; attempt: ProbeAttempt }>> {
    return mapWithConcurrency(group.keys, this.timing.concurrency, async (key) => ({
      key,
      attempt: await this.prober.probe(group, key, this.timing.probeTimeoutMs),
    }));
  }

  private async checkKey(
    group: RoutableGroup,
    key: RoutableKey,
    signal?: AbortSignal,
  ): Promise<KeyCheckResult> {
    try {
      const attempt = await this.prober.probe(group, key, this.timing.probeTimeoutMs, signal);
      if (isSkipped(attempt)) return { keyId: key.id, verdict: 'skipped', skipped: attempt.skipped };
      return { keyId: key.id, verdict: this.apply(refOf(group, key), attempt), probe: attempt };
    } catch (error) {
      // A bug in one key's check must not end the run.
      this.logger.error({
        msg: 'health check of a key failed',
        group: group.name,
        key: key.masked,
        error: describeError(error),
      });
      return { keyId: key.id, verdict: 'skipped', skipped: 'internal error' };
    }
  }

  private apply(ref: UpstreamKeyRef, probe: ProbeResult): CheckVerdict {
    const settings = this.config.get();
    const { record, verdict } = applyCheckResult(
      this.persistence.recordOf(ref.keyId),
      probe,
      settings,
      this.health.now(),
    );
    this.persistence.applyCheck(ref, record, () => {
      if (verdict === 'passed') return this.health.checkPassed(ref);
      if (probe.invalidatesKey) this.health.markInvalid(ref, probe.status ?? 401, probe.error);
      if (verdict === 'unhealthy') this.health.markUnhealthy(ref, record.nextRetryAt!);
    });
    if (verdict !== 'passed')
      this.logger.debug(`health check of ${ref.groupName}/${ref.masked} failed: ${probe.error}`);
    return verdict;
  }
}
