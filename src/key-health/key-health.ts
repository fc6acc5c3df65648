import {
  BreakerCause,
  BreakerSettings,
  BreakerSnapshot,
  BreakerState,
  CircuitBreaker,
} from './circuit-breaker.js';

// What HealthState knows about one upstream key, and whether the key may take traffic now
// (ROUTING.md "Candidates", step 3). Pure: no clock, no logging.

/** Identifies an upstream key in logs, events and metrics; never carries the secret. */
export interface UpstreamKeyRef {
  readonly groupId: number;
  readonly groupName: string;
  readonly keyId: number;
  /** e.g. `sk-…abcd` */
  readonly masked: string;
}

/** The ref of one key of a group (structural: a routing snapshot's group and key fit). */
export function refOf(
  group: { readonly id: number; readonly name: string },
  key: { readonly id: number; readonly masked: string },
): UpstreamKeyRef {
  return { groupId: group.id, groupName: group.name, keyId: key.id, masked: key.masked };
}

/** How an attempt ended, as the upstream classifier reports it (structural: no import from upstream/). */
export interface KeyOutcome {
  readonly success: boolean;
  /** Counts against the breaker (network errors, timeouts, 408, 5xx). */
  readonly breakerFailure: boolean;
  /** 401/403: the key is out of rotation until a health check passes. */
  readonly invalidatesKey: boolean;
  /** Classifier's label, e.g. `timeout`, `http_503`; only carried into events. */
  readonly kind: string;
  readonly status?: number;
  readonly message?: string;
  /** From `Retry-After`; with a 429 (or any failure that carries it) the key cools down. */
  readonly retryAfterMs?: number;
}

export type AvailabilityReason =
  'ok' | 'breaker_open' | 'half_open' | 'cooling_down_429' | 'invalid_credentials' | 'unhealthy_by_checks';

/**
 * `half_open` with `available: true` means free for a trial; with `available: false`, the trial
 * slots are taken. `availableAt` is when every time-bound block has passed (absent for invalid
 * credentials, which only a health check lifts, and for busy trial slots).
 */
export interface Availability {
  readonly available: boolean;
  readonly reason: AvailabilityReason;
  readonly availableAt?: number;
}

export type KeyCondition = BreakerState | 'invalid' | 'unhealthy';
/** `rate_limited` starts a 429 cooldown; the key's condition (`from` = `to`) does not change. */
export type TransitionReason =
  BreakerCause | 'marked_invalid' | 'marked_valid' | 'marked_unhealthy' | 'recovered' | 'rate_limited';

export interface KeyTransition {
  readonly at: number;
  readonly ref: UpstreamKeyRef;
  readonly from: KeyCondition;
  readonly to: KeyCondition;
  readonly reason: TransitionReason;
  readonly consecutiveFailures: number;
  readonly nextRetryAt?: number;
  readonly status?: number;
  /** Redacted and at most 500 characters. */
  readonly message?: string;
  /** Applied from another replica's report: that replica has logged, recorded and alerted it. */
  readonly remote?: boolean;
}

export type TransitionListener = (transition: KeyTransition) => void;

/** A read-only picture of one key, for the health API and metrics. */
export interface KeyHealthView {
  readonly ref: UpstreamKeyRef;
  readonly condition: KeyCondition;
  readonly availability: Availability;
  readonly breaker: BreakerSnapshot;
  readonly trialsInFlight: number;
  readonly invalid?: InvalidMark;
  readonly cooldownUntil?: number;
  readonly unhealthyUntil?: number;
  readonly inFlight: number;
  readonly recentRequests: number;
  readonly latencyEwmaMs?: number;
}

/**
 * What replicas share about a key (breaker, invalid mark, 429 cooldown, check verdict): enough for
 * another replica to route around it exactly as the one that saw it does. Times are epoch ms.
 */
export interface SharedKeyState {
  readonly breaker: BreakerSnapshot;
  readonly invalid?: InvalidMark;
  readonly cooldownUntil: number;
  readonly unhealthyUntil: number;
}

export const AVAILABLE: Availability = Object.freeze({ available: true, reason: 'ok' });
const TRIAL: Availability = Object.freeze({ available: true, reason: 'half_open' });
const TRIALS_BUSY: Availability = Object.freeze({ available: false, reason: 'half_open' });

// "Recent requests" for least_used decay with this half-life instead of living in windows.
const RECENT_HALF_LIFE_MS = 60_000;
// Weight of the newest latency sample in the moving average.
const LATENCY_ALPHA = 0.3;

export interface InvalidMark {
  readonly status: number;
  readonly message?: string;
  readonly since: number;
}

/** One admitted attempt (HealthState.tryBegin); hand it back to `HealthState.end` (again is a no-op). */
export class AttemptPermit {
  private ended = false;

  constructor(
    readonly ref: UpstreamKeyRef,
    /** Half-open trial slot, 0 for none. */
    readonly trial: number,
    readonly startedAt: number,
  ) {}

  /** For HealthState.end: true the first time only, so that ending twice is harmless. */
  settle(): boolean {
    if (this.ended) return false;
    this.ended = true;
    return true;
  }
}

export class KeyHealth {
  invalid: InvalidMark | undefined;
  cooldownUntil = 0;
  unhealthyUntil = 0;
  /** While open: another replica holds the half-open trial until then (one trial across replicas). */
  trialHeldUntil = 0;
  inFlight = 0;
  latencyEwmaMs: number | undefined;
  private recent = 0;
  private recentAt = 0;

  constructor(
    public ref: UpstreamKeyRef,
    public breaker: CircuitBreaker,
  ) {}

  static create(ref: UpstreamKeyRef, settings: BreakerSettings, random: () => number): KeyHealth {
    return new KeyHealth(ref, new CircuitBreaker(settings, random));
  }

  condition(now: number): KeyCondition {
    if (this.invalid !== undefined) return 'invalid';
    if (now < this.unhealthyUntil) return 'unhealthy';
    return this.breaker.state;
  }

  view(now: number): KeyHealthView {
    return {
      ref: this.ref,
      condition: this.condition(now),
      availability: this.availability(now),
      breaker: this.breaker.snapshot(),
      trialsInFlight: this.breaker.trialsInFlight,
      invalid: this.invalid,
      cooldownUntil: this.cooldownUntil > now ? this.cooldownUntil : undefined,
      unhealthyUntil: this.unhealthyUntil > now ? this.unhealthyUntil : undefined,
      inFlight: this.inFlight,
      recentRequests: this.recentRequests(now),
      latencyEwmaMs: this.latencyEwmaMs,
    };
  }

  /** What another replica needs to route around this key as this one does. */
  shared(): SharedKeyState {
    return {
      breaker: this.breaker.snapshot(),
      invalid: this.invalid,
      cooldownUntil: this.cooldownUntil,
      unhealthyUntil: this.unhealthyUntil,
    };
  }

  /** Cheap form of `availability(now).available` for the candidate scan. */
  isAvailable(now: number): boolean {
    return (
      this.invalid === undefined &&
      now >= this.unhealthyUntil &&
      now >= this.cooldownUntil &&
      this.breaker.canAdmit(now) &&
      !this.trialHeldElsewhere(now)
    );
  }

  /** Open, due a trial, but the trial is another replica's to send. */
  private trialHeldElsewhere(now: number): boolean {
    return now < this.trialHeldUntil && this.breaker.state === 'open';
  }

  /** The first blocking reason in order of severity; `availableAt` covers every time-bound block. */
  availability(now: number): Availability {
    if (this.isAvailable(now)) return this.breaker.state === 'closed' ? AVAILABLE : TRIAL;
    if (this.invalid !== undefined) return { available: false, reason: 'invalid_credentials' };
    const breakerOpen =
      this.breaker.state === 'open' && (!this.breaker.canAdmit(now) || this.trialHeldElsewhere(now));
    const breakerAt = breakerOpen ? Math.max(this.breaker.nextAttemptAt!, this.trialHeldUntil) : 0;
    const availableAt = Math.max(this.unhealthyUntil, this.cooldownUntil, breakerAt);
    if (now < this.unhealthyUntil) return { available: false, reason: 'unhealthy_by_checks', availableAt };
    if (breakerOpen) return { available: false, reason: 'breaker_open', availableAt };
    if (now < this.cooldownUntil) return { available: false, reason: 'cooling_down_429', availableAt };
    return TRIALS_BUSY;
  }

  /** For fail-open: when this key is due a retry. Busy trials count as due now, invalid keys never. */
  retryDueAt(now: number): number {
    const availability = this.availability(now);
    if (availability.available) return now;
    if (availability.reason === 'invalid_credentials') return Number.POSITIVE_INFINITY;
    return availability.availableAt ?? now;
  }

  noteStart(now: number): void {
    this.recent = this.recentRequests(now) + 1;
    this.recentAt = now;
    this.inFlight += 1;
  }

  noteEnd(): void {
    if (this.inFlight > 0) this.inFlight -= 1;
  }

  /** Requests started lately, decayed exponentially (half-life one minute). */
  recentRequests(now: number): number {
    if (this.recent === 0) return 0;
    const age = now - this.recentAt;
    return age <= 0 ? this.recent : this.recent * 2 ** (-age / RECENT_HALF_LIFE_MS);
  }

  noteLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.latencyEwmaMs =
      this.latencyEwmaMs === undefined ? ms : this.latencyEwmaMs + LATENCY_ALPHA * (ms - this.latencyEwmaMs);
  }
}
