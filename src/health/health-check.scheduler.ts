import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CONFIG_CHANGED, type ConfigChangedEvent } from '../routing/config-changed.event.js';
import type { LeaderElection } from '../lease/leader-election.js';
import { LeaderElections } from '../lease/leader-elections.service.js';
import { HealthCheckConfigService } from './health-check-config.service.js';
import { HEALTH_CHECK_TIMING, type HealthCheckTiming } from './health-check.timing.js';
import { HealthChecker, RunSummary } from './health-checker.service.js';
import { describeError } from '../common/describe-error.js';

export const HEALTH_CHECK_JOB = 'health-check';

/**
 * Runs the scheduled checks every `interval_minutes` through @nestjs/schedule's registry, so a
 * config change reschedules at once. Start and stop are idempotent; runs never overlap (a tick
 * during a run is skipped) and an error in one run never stops the job. With several replicas,
 * only the holder of the `health-check` lease runs the scheduled ticks.
 */
@Injectable()
export class HealthCheckScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HealthCheckScheduler.name);
  private readonly shutdown = new AbortController();
  private running?: Promise<RunSummary | undefined>;
  private everyMs?: number;
  private election?: LeaderElection;

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly checker: HealthChecker,
    private readonly config: HealthCheckConfigService,
    @Inject(HEALTH_CHECK_TIMING) private readonly timing: HealthCheckTiming,
    // Absent in unit tests, where the scheduler is the only replica.
    private readonly elections?: LeaderElections,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.election = this.elections?.elect(HEALTH_CHECK_JOB, () => this.timing.leaseTtlMs);
    await this.election?.start();
    this.reschedule();
    if (this.everyMs === undefined)
      this.logger.log('Health check service not started: disabled in health_check_configs');
  }

  async onModuleDestroy(): Promise<void> {
    this.stop();
    this.shutdown.abort();
    await this.running;
    await this.election?.stop();
  }

  /** Another replica may have changed the job's configuration. */
  @OnEvent(CONFIG_CHANGED)
  async onConfigChanged(event: ConfigChangedEvent): Promise<void> {
    if (event.entity !== 'remote') return;
    try {
      await this.config.reload();
      this.reschedule();
    } catch (error) {
      this.logger.error({
        msg: 'Reloading the health check configuration failed',
        error: describeError(error),
      });
    }
  }

  /** Whether this replica's ticks run the checks (it holds the lease, or is the only replica). */
  get leading(): boolean {
    return this.election?.isLeader() ?? true;
  }

  /** The job's period while it is scheduled. */
  get intervalMs(): number | undefined {
    return this.everyMs;
  }

  /** Applies the current configuration: (re)starts with its interval, or stops when disabled. */
  reschedule(): void {
    const settings = this.config.get();
    const wanted = settings.intervalMinutes * this.timing.minuteMs;
    if (!settings.enabled) return this.stop();
    if (this.everyMs === wanted) return;
    const restarting = this.everyMs !== undefined;
    this.stop(true);
    const timer = setInterval(() => void this.runScheduled(), wanted);
    timer.unref();
    this.registry.addInterval(HEALTH_CHECK_JOB, timer);
    this.everyMs = wanted;
    const what = `every ${settings.intervalMinutes} minute(s), max_error_count ${settings.maxErrorCount}, retry_after_hours ${settings.retryAfterHours}`;
    if (restarting) this.logger.log(`Health check job rescheduled: ${what}`);
    else this.logger.log(`Health check service started: ${what}`);
  }

  stop(quiet = false): void {
    if (this.everyMs === undefined) return;
    if (this.registry.doesExist('interval', HEALTH_CHECK_JOB)) this.registry.deleteInterval(HEALTH_CHECK_JOB);
    this.everyMs = undefined;
    if (!quiet) this.logger.log('Health check service stopped');
  }

  /** A tick of the job: runs on the replica that holds the lease, and only there. */
  runScheduled(): Promise<RunSummary | undefined> {
    if (!this.leading) return Promise.resolve(undefined);
    return this.runNow();
  }

  /** One run now, unless one is already going (then that one). */
  runNow(): Promise<RunSummary | undefined> {
    if (this.running) return this.running;
    if (this.shutdown.signal.aborted) return Promise.resolve(undefined);
    const run = this.checker
      .runAll(this.shutdown.signal)
      .catch((error: unknown) => {
        this.logger.error({ msg: 'Health check run failed', error: describeError(error) });
        return undefined;
      })
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }
}
