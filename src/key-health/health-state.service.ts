import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { oneLineRedacted } from '../common/logging/redaction.js';
import { AppConfig, BreakerConfig } from '../config/app-config.js';
import { BreakerSnapshot, BreakerTransition, CircuitBreaker } from './circuit-breaker.js';
import {
  KeyOutcome,
  AttemptPermit,
  AVAILABLE,
  Availability,
  KeyCondition,
  KeyHealth,
  KeyHealthView,
  KeyTransition,
  SharedKeyState,
  TransitionListener,
  TransitionReason,
  UpstreamKeyRef,
} from './key-health.js';
import { describeError } from '../common/describe-error.js';

// The live health of every upstream key: breakers, invalid marks, 429 cooldowns, check verdicts,
// load and latency. In memory and synchronous: the proxy's hot path reads it for every request.

export const HEALTH_CLOCK = Symbol('HEALTH_CLOCK');

/** Time (epoch ms) and randomness (jitter, policies); injectable so tests run on fake time. */
export interface HealthClock {
  now(): number;
  random(): number;
}

const SYSTEM_CLOCK: HealthClock = { now: Date.now, random: Math.random };
const MAX_MESSAGE_LENGTH = 500;

@Injectable()
export class HealthState {
  private readonly logger = new Logger(HealthState.name);
  private readonly keys = new Map<number, KeyHealth>();
  private readonly listeners: TransitionListener[] = [];
  private readonly settings: BreakerConfig;
  readonly clock: HealthClock;
  private readonly random: () => number;

  constructor(config: AppConfig, @Optional() @Inject(HEALTH_CLOCK) clock?: HealthClock) {
    this.settings = config.breaker;
    this.clock = clock ?? SYSTEM_CLOCK;
    this.random = () => this.clock.random();
  }

  now(): number {
    return this.clock.now();
  }

  onTransition(listener: TransitionListener): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  // ---- hot path: reads (unknown keys are healthy and idle) ----

  isAvailable(keyId: number, now = this.now()): boolean {
    return this.keys.get(keyId)?.isAvailable(now) ?? true;
  }

  availability(keyId: number, now = this.now()): Availability {
    return this.keys.get(keyId)?.availability(now) ?? AVAILABLE;
  }

  /** When an unavailable key is due a retry (fail-open picks the soonest). */
  retryDueAt(keyId: number, now = this.now()): number {
    return this.keys.get(keyId)?.retryDueAt(now) ?? now;
  }

  inFlight(keyId: number): number {
    return this.keys.get(keyId)?.inFlight ?? 0;
  }

  recentRequests(keyId: number, now = this.now()): number {
    return this.keys.get(keyId)?.recentRequests(now) ?? 0;
  }

  latencyMs(keyId: number): number | undefined {
    return this.keys.get(keyId)?.latencyEwmaMs;
  }

  // ---- hot path: one attempt ----

  /**
   * Admits one attempt on the key, or returns undefined when it is unavailable or its half-open
   * trial slots are taken. `force` (fail-open) always admits; an open breaker then goes half-open.
   */
  tryBegin(ref: UpstreamKeyRef, now = this.now(), force = false): AttemptPermit | undefined {
    const entry = this.entry(ref);
    if (!force && !entry.isAvailable(now)) return undefined;
    const admission = entry.breaker.tryAcquire(now, force);
    if (!admission.admitted) return undefined;
    if (admission.transition) this.emitBreaker(entry, admission.transition, now);
    entry.noteStart(now);
    return new AttemptPermit(ref, admission.trial, now);
  }

  /**
   * Ends an attempt: frees its in-flight count and trial slot and, given an outcome, records it.
   * No outcome (client gone, or a 4xx that is the request's fault) leaves the key as it was.
   * `latencyMs` defaults to the time since `tryBegin`; for streams pass the time to first byte.
   */
  end(permit: AttemptPermit, outcome?: KeyOutcome, latencyMs?: number): void {
    if (!permit.settle()) return;
    const entry = this.keys.get(permit.ref.keyId);
    if (!entry) return;
    const now = this.now();
    entry.noteEnd();
    entry.breaker.release(permit.trial);
    if (outcome) this.apply(entry, outcome, latencyMs ?? now - permit.startedAt, now);
  }

  recordOutcome(ref: UpstreamKeyRef, outcome: KeyOutcome, latencyMs: number): void {
    this.apply(this.entry(ref), outcome, latencyMs, this.now());
  }

  // ---- verdicts from requests and from the scheduled checks ----

  /** 401/403: out of rotation until `markValid` (a passed health check). */
  markInvalid(ref: UpstreamKeyRef, status: number, message?: string): void {
    const entry = this.entry(ref);
    const now = this.now();
    const text = clean(message);
    const from = entry.condition(now);
    entry.invalid = { status, message: text, since: now };
    if (from === 'invalid') return;
    this.logger.warn(`key ${ref.masked} of ${ref.groupName} marked invalid (${status})`);
    this.emit(entry, now, from, 'marked_invalid', { status, message: text });
  }

  markValid(ref: UpstreamKeyRef): void {
    const entry = this.entry(ref);
    if (entry.invalid === undefined) return;
    entry.invalid = undefined;
    const now = this.now();
    this.logger.log(`key ${ref.masked} of ${ref.groupName} valid again`);
    this.emit(entry, now, 'invalid', 'marked_valid');
  }

  /** After a 429: out of rotation for `retryAfterMs` (default and cap from the config). */
  coolDown(ref: UpstreamKeyRef, retryAfterMs?: number): void {
    const entry = this.entry(ref);
    const wanted = retryAfterMs ?? this.settings.rateLimitCooldownMs;
    const ms = Math.min(Math.max(0, wanted), this.settings.maxRateLimitCooldownMs);
    const now = this.now();
    const starts = entry.cooldownUntil <= now;
    entry.cooldownUntil = Math.max(entry.cooldownUntil, now + ms);
    // Only a new cooldown is an event: a burst of 429s on a cooling key is one failover_events row.
    if (starts && ms > 0) {
      const condition = entry.condition(now);
      this.emit(
        entry,
        now,
        condition,
        'rate_limited',
        { nextRetryAt: entry.cooldownUntil, status: 429 },
        condition,
      );
    }
  }

  /** The scheduled checks gave up on the key: out of rotation until `until` (epoch ms). */
  markUnhealthy(ref: UpstreamKeyRef, until: number): void {
    const entry = this.entry(ref);
    const now = this.now();
    const from = entry.condition(now);
    entry.unhealthyUntil = until;
    if (from === 'unhealthy' || from === 'invalid') return;
    this.logger.warn(
      `key ${ref.masked} of ${ref.groupName} marked unhealthy by health checks, retry in ${formatDelay(until - now)}`,
    );
    this.emit(entry, now, from, 'marked_unhealthy', { nextRetryAt: until });
  }

  markRecovered(ref: UpstreamKeyRef): void {
    const entry = this.entry(ref);
    if (entry.unhealthyUntil === 0) return;
    entry.unhealthyUntil = 0;
    this.logger.log(`key ${ref.masked} of ${ref.groupName} recovered`);
    this.emit(entry, this.now(), 'unhealthy', 'recovered');
  }

  /** A passed health check: valid again, recovered, breaker closed (ROUTING.md). */
  checkPassed(ref: UpstreamKeyRef): void {
    this.markValid(ref);
    this.markRecovered(ref);
    const entry = this.entry(ref);
    const transition = entry.breaker.reset();
    if (transition) this.emitBreaker(entry, transition, this.now());
  }

  // ---- views and housekeeping ----

  states(now = this.now()): KeyHealthView[] {
    return [...this.keys.values()].map((entry) => entry.view(now));
  }

  stateOf(keyId: number, now = this.now()): KeyHealthView | undefined {
    const entry = this.keys.get(keyId);
    return entry && entry.view(now);
  }

  /** Replaces a key's breaker with a persisted one (another replica, or before a restart). */
  restore(ref: UpstreamKeyRef, snapshot: BreakerSnapshot): void {
    this.entry(ref).breaker = CircuitBreaker.restore(snapshot, this.settings, this.random);
  }

  // ---- shared with other replicas (see key-health-sync/) ----

  sharedStateOf(keyId: number): SharedKeyState | undefined {
    return this.keys.get(keyId)?.shared();
  }

  /**
   * Takes another replica's report of a key as this replica's own view of it. A closed breaker
   * keeps its local failure streak (the report is about something else, e.g. a cooldown); a 429
   * cooldown never shortens. A change of condition is emitted with `remote: true`.
   */
  adopt(ref: UpstreamKeyRef, state: SharedKeyState, reason: TransitionReason): void {
    const entry = this.entry(ref);
    const now = this.now();
    const from = entry.condition(now);
    if (state.breaker.state !== 'closed' || entry.breaker.state !== 'closed')
      entry.breaker = CircuitBreaker.restore(state.breaker, this.settings, this.random);
    entry.invalid = state.invalid;
    entry.unhealthyUntil = state.unhealthyUntil;
    entry.cooldownUntil = Math.max(entry.cooldownUntil, state.cooldownUntil);
    if (entry.breaker.state !== 'open') entry.trialHeldUntil = 0;
    const to = entry.condition(now);
    if (from === to) return;
    this.emit(entry, now, from, reason, { nextRetryAt: state.breaker.nextAttemptAt, remote: true }, to);
  }

  /** While the key's breaker is open, leaves its trial to another replica until `until` (0: no longer). */
  holdTrial(keyId: number, until: number): void {
    const entry = this.keys.get(keyId);
    if (entry) entry.trialHeldUntil = until;
  }

  forget(keyIds: Iterable<number>): void {
    for (const id of keyIds) this.keys.delete(id);
  }

  /** Forgets every key not in `live` (keys deleted from the configuration); returns their ids. */
  retainOnly(live: ReadonlySet<number>): number[] {
    const gone = [...this.keys.keys()].filter((id) => !live.has(id));
    this.forget(gone);
    return gone;
  }

  private apply(entry: KeyHealth, outcome: KeyOutcome, latencyMs: number, now: number): void {
    if (outcome.success) {
      entry.noteLatency(latencyMs);
      const transition = entry.breaker.recordSuccess(now);
      if (transition) this.emitBreaker(entry, transition, now);
      return;
    }
    if (outcome.invalidatesKey) this.markInvalid(entry.ref, outcome.status ?? 401, outcome.message);
    if (outcome.status === 429 || outcome.retryAfterMs !== undefined)
      this.coolDown(entry.ref, outcome.retryAfterMs);
    if (!outcome.breakerFailure) return;
    const transition = entry.breaker.recordFailure(now);
    if (transition) this.emitBreaker(entry, transition, now, outcome);
  }

  private entry(ref: UpstreamKeyRef): KeyHealth {
    let entry = this.keys.get(ref.keyId);
    if (!entry) {
      entry = KeyHealth.create(ref, this.settings, this.random);
      this.keys.set(ref.keyId, entry);
    } else if (entry.ref !== ref) {
      entry.ref = ref; // the newest names (a renamed group) win
    }
    return entry;
  }

  private emitBreaker(entry: KeyHealth, t: BreakerTransition, now: number, outcome?: KeyOutcome): void {
    const name = `${entry.ref.groupName}/${entry.ref.masked}`;
    if (t.to === 'open') {
      const why =
        t.cause === 'trial_failed'
          ? 'half-open trial failed'
          : `${t.consecutiveFailures} consecutive failures`;
      this.logger.warn(
        `circuit opened for ${name} (${why}), retry in ${formatDelay(t.nextAttemptAt! - now)}`,
      );
    } else if (t.to === 'half_open') {
      this.logger.log(
        `circuit half-open for ${name}${t.cause === 'forced_trial' ? ' (fail-open trial)' : ''}`,
      );
    } else {
      const why =
        t.cause === 'reset' ? 'health check passed' : `${t.consecutiveSuccesses} consecutive successes`;
      this.logger.log(`circuit closed for ${name} (${why})`);
    }
    const extra = { nextRetryAt: t.nextAttemptAt, status: outcome?.status, message: clean(outcome?.message) };
    this.emit(entry, now, t.from, t.cause, extra, t.to);
  }

  private emit(
    entry: KeyHealth,
    at: number,
    from: KeyCondition,
    reason: TransitionReason,
    extra: Pick<KeyTransition, 'nextRetryAt' | 'status' | 'message' | 'remote'> = {},
    to: KeyCondition = entry.condition(at),
  ): void {
    if (this.listeners.length === 0) return;
    const transition: KeyTransition = {
      at,
      ref: entry.ref,
      from,
      to,
      reason,
      consecutiveFailures: entry.breaker.consecutiveFailures,
      ...extra,
    };
    for (const listener of this.listeners) {
      try {
        listener(transition);
      } catch (error) {
        this.logger.error({ msg: 'transition listener failed', error: describeError(error) });
      }
    }
  }
}

function clean(message: string | undefined): string | undefined {
  return message === undefined ? undefined : oneLineRedacted(message, MAX_MESSAGE_LENGTH);
}

/** `850ms`, `60s`, `10m`: the words of the transition log lines. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = Math.round(ms / 1000);
  return seconds < 600 ? `${seconds}s` : `${Math.round(seconds / 60)}m`;
}
