import type { BreakerConfig } from '../config/app-config.js';

// The per-key breaker of ROUTING.md ("Circuit breaker"), as a pure state machine: no timers and no
// clock of its own. Every method takes `now` (epoch ms) and returns what changed, so the owner
// (HealthState) decides what to log, emit and persist.

export type BreakerState = 'closed' | 'open' | 'half_open';

export type BreakerSettings = Pick<
  BreakerConfig,
  | 'failureThreshold'
  | 'failureWindowMs'
  | 'baseBackoffMs'
  | 'maxBackoffMs'
  | 'jitter'
  | 'successThreshold'
  | 'halfOpenMaxConcurrent'
>;

export type BreakerCause =
  | 'failure_threshold' // closed → open
  | 'backoff_elapsed' // open → half_open, the back-off is over
  | 'forced_trial' // open → half_open early: a fail-open attempt is a trial too
  | 'trial_failed' // half_open → open, at the next back-off level
  | 'success_threshold' // half_open → closed
  | 'reset'; // any → closed, from outside (a passed health check)

export interface BreakerTransition {
  readonly from: BreakerState;
  readonly to: BreakerState;
  readonly cause: BreakerCause;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  /** Back-off level: how many times the breaker opened in a row. */
  readonly openedCount: number;
  /** Only when `to` is `open`. */
  readonly nextAttemptAt?: number;
}

/** What `tryAcquire` granted. `trial` > 0 is the slot to hand back with `release(trial)`. */
export interface Admission {
  readonly admitted: boolean;
  readonly trial: number;
  readonly transition?: BreakerTransition;
}

/** Everything needed to rebuild a breaker elsewhere (another replica, after a restart). */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  readonly consecutiveFailures: number;
  readonly consecutiveSuccesses: number;
  readonly openedCount: number;
  readonly nextAttemptAt?: number;
  /** While closed: the current streak's last failure times (at most failureThreshold), oldest first. */
  readonly recentFailureAt: readonly number[];
}

// Shared results, so that the common case (closed, or refused) allocates nothing.
const DENIED: Admission = Object.freeze({ admitted: false, trial: 0 });
const PASSED: Admission = Object.freeze({ admitted: true, trial: 0 });

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private successes = 0;
  private opened = 0;
  private nextAttempt = 0;
  // Times of the streak's failures in a ring of failureThreshold slots: failure number i of the
  // streak sits at i % failureThreshold, so the oldest of the last `threshold` is the next to go.
  private readonly failureAt: number[];
  // Half-open bookkeeping. `epoch` grows on every entry into half-open so that a slot taken in an
  // earlier half-open period can never be released into a later one.
  private epoch = 0;
  private trials = 0;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly random: () => number = Math.random,
  ) {
    this.failureAt = new Array<number>(Math.max(1, settings.failureThreshold)).fill(0);
  }

  static restore(
    snapshot: BreakerSnapshot,
    settings: BreakerSettings,
    random?: () => number,
  ): CircuitBreaker {
    const breaker = new CircuitBreaker(settings, random);
    breaker.current = snapshot.state;
    breaker.failures = snapshot.consecutiveFailures;
    breaker.successes = snapshot.consecutiveSuccesses;
    breaker.opened = snapshot.openedCount;
    breaker.nextAttempt = snapshot.nextAttemptAt ?? 0;
    if (snapshot.state === 'half_open') breaker.epoch = 1;
    const kept = Math.min(snapshot.recentFailureAt.length, breaker.failureAt.length, breaker.failures);
    const times = snapshot.recentFailureAt.slice(snapshot.recentFailureAt.length - kept);
    times.forEach((at, j) => (breaker.failureAt[breaker.slot(breaker.failures - kept + j)] = at));
    return breaker;
  }

  get state(): BreakerState {
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  get consecutiveSuccesses(): number {
    return this.successes;
  }

  get openedCount(): number {
    return this.opened;
  }

  /** When an open breaker becomes due a trial; undefined unless open. */
  get nextAttemptAt(): number | undefined {
    return this.current === 'open' ? this.nextAttempt : undefined;
  }

  get trialsInFlight(): number {
    return this.trials;
  }

  /** Would `tryAcquire(now)` admit a request? Read-only. */
  canAdmit(now: number): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') return now >= this.nextAttempt;
    return this.trials < this.settings.halfOpenMaxConcurrent;
  }

  /**
   * Admission of one request. Closed: always, without a slot. Open and due (or `force`): moves to
   * half-open and takes a trial slot. Half-open: takes a slot if one is free (or `force`, which may
   * exceed halfOpenMaxConcurrent: the fail-open attempt of ROUTING.md must not be refused).
   */
  tryAcquire(now: number, force = false): Admission {
    if (this.current === 'closed') return PASSED;
    let transition: BreakerTransition | undefined;
    if (this.current === 'open') {
      const due = now >= this.nextAttempt;
      if (!due && !force) return DENIED;
      this.current = 'half_open';
      this.successes = 0;
      this.trials = 0;
      this.epoch += 1;
      transition = this.transition('open', due ? 'backoff_elapsed' : 'forced_trial');
    } else if (this.trials >= this.settings.halfOpenMaxConcurrent && !force) {
      return DENIED;
    }
    this.trials += 1;
    return { admitted: true, trial: this.epoch, transition };
  }

  /** Hands back a half-open trial slot; ignores slots of an earlier half-open period. */
  release(trial: number): void {
    if (trial !== 0 && trial === this.epoch && this.current === 'half_open' && this.trials > 0)
      this.trials -= 1;
  }

  recordFailure(now: number): BreakerTransition | undefined {
    this.successes = 0;
    if (this.current === 'half_open') {
      this.failures += 1;
      return this.open(now, 'half_open', 'trial_failed');
    }
    if (this.current === 'open') {
      // A late answer to a request admitted before the breaker opened: the back-off stands.
      this.failures += 1;
      return undefined;
    }
    this.failureAt[this.slot(this.failures)] = now;
    this.failures += 1;
    if (this.failures < this.settings.failureThreshold) return undefined;
    const oldest = this.failureAt[this.slot(this.failures)];
    return now - oldest <= this.settings.failureWindowMs
      ? this.open(now, 'closed', 'failure_threshold')
      : undefined;
  }

  recordSuccess(_now: number): BreakerTransition | undefined {
    // Open: a late answer to a request admitted before the breaker opened; only trials count.
    if (this.current === 'open') return undefined;
    this.failures = 0;
    this.successes += 1;
    if (this.current === 'closed' || this.successes < this.settings.successThreshold) return undefined;
    return this.close('half_open', 'success_threshold');
  }

  /** Closes the breaker from outside (a passed health check) and forgets the back-off level. */
  reset(): BreakerTransition | undefined {
    if (this.current === 'closed') {
      this.failures = 0;
      return undefined;
    }
    return this.close(this.current, 'reset');
  }

  snapshot(): BreakerSnapshot {
    const count = this.current === 'closed' ? Math.min(this.failures, this.failureAt.length) : 0;
    const recentFailureAt: number[] = [];
    for (let i = this.failures - count; i < this.failures; i += 1)
      recentFailureAt.push(this.failureAt[this.slot(i)]);
    return {
      state: this.current,
      consecutiveFailures: this.failures,
      consecutiveSuccesses: this.successes,
      openedCount: this.opened,
      nextAttemptAt: this.nextAttemptAt,
      recentFailureAt,
    };
  }

  /** The back-off of the given level before jitter: base × 2^(level-1), at most maxBackoffMs. */
  static backoffMs(settings: BreakerSettings, level: number): number {
    return Math.min(settings.maxBackoffMs, settings.baseBackoffMs * 2 ** Math.max(0, level - 1));
  }

  private open(now: number, from: BreakerState, cause: BreakerCause): BreakerTransition {
    this.opened += 1;
    const raw = CircuitBreaker.backoffMs(this.settings, this.opened);
    const jittered = raw * (1 + this.settings.jitter * (2 * this.random() - 1));
    // The cap holds after jitter too: ROUTING.md says "at most 600 s".
    this.nextAttempt = now + Math.round(Math.max(0, Math.min(this.settings.maxBackoffMs, jittered)));
    this.current = 'open';
    this.successes = 0;
    this.trials = 0;
    return this.transition(from, cause);
  }

  private close(from: BreakerState, cause: BreakerCause): BreakerTransition {
    this.current = 'closed';
    this.opened = 0;
    this.trials = 0;
    const transition = this.transition(from, cause);
    this.failures = 0;
    this.successes = 0;
    return transition;
  }

  private transition(from: BreakerState, cause: BreakerCause): BreakerTransition {
    return {
      from,
      to: this.current,
      cause,
      consecutiveFailures: this.failures,
      consecutiveSuccesses: this.successes,
      openedCount: this.opened,
      nextAttemptAt: this.nextAttemptAt,
    };
  }

  private slot(index: number): number {
    return index % this.failureAt.length;
  }
}
