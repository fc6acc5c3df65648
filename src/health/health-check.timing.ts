export const HEALTH_CHECK_TIMING = Symbol('HEALTH_CHECK_TIMING');

/**
 * The job's clockwork. A provider value: tests shrink `minuteMs` (so `interval_minutes: 1` runs
 * every few hundred ms) and `probeTimeoutMs`, then call `HealthCheckScheduler.reschedule()`.
 */
export interface HealthCheckTiming {
  /** How long `interval_minutes: 1` lasts. */
  minuteMs: number;
  /** Per probe, whole call included: one hung key never stalls a run. */
  probeTimeoutMs: number;
  /** Probes in flight at once. */
  concurrency: number;
  /**
   * With several replicas, the lease that elects the one running the job lives this long without
   * renewal: a replica that dies is replaced within it (well inside one interval).
   */
  leaseTtlMs: number;
}

export const DEFAULT_HEALTH_CHECK_TIMING: Readonly<HealthCheckTiming> = Object.freeze({
  minuteMs: 60_000,
  probeTimeoutMs: 10_000,
  concurrency: 4,
  leaseTtlMs: 15_000,
});
