import type { Redis } from 'ioredis';
import type { HealthState } from '../key-health/health-state.service.js';

/**
 * How long a claimed half-open trial is the claimant's alone. If its trial has not ended by then
 * (or the replica went away, or had no request for the key), another replica may claim one.
 */
export const TRIAL_LEASE_MS = 15_000;

interface Claim {
  readonly openedCount: number;
  timer?: NodeJS.Timeout;
}

/**
 * One half-open trial across all replicas. While a key's breaker is open, every replica holds its
 * trial back; when the back-off is over each tries to claim the trial in Redis (`SET NX PX`, keyed
 * by the key and how many times its breaker has opened) and only the winner's breaker may go
 * half-open. The others wait for the trial's result (published as a closed or re-opened breaker)
 * or for the lease to lapse. When Redis cannot answer, each replica decides for itself, as a
 * single gateway does. Nothing of this runs per request: one claim per key per back-off.
 */
export class TrialClaims {
  private readonly claims = new Map<number, Claim>();

  constructor(
    private readonly health: HealthState,
    private readonly redis: Redis,
    private readonly redisKey: (name: string) => string,
    private readonly replicaId: string,
  ) {}

  /** Call after any change of the key's health: follows whether its breaker is open. */
  follow(keyId: number): void {
    const breaker = this.health.sharedStateOf(keyId)?.breaker;
    if (breaker?.state !== 'open' || breaker.nextAttemptAt === undefined) return this.drop(keyId);
    const current = this.claims.get(keyId);
    if (current?.openedCount === breaker.openedCount) return;
    this.drop(keyId);
    const claim: Claim = { openedCount: breaker.openedCount };
    this.claims.set(keyId, claim);
    // Held until the claim is decided; the lease bounds it should the claim never run.
    this.health.holdTrial(keyId, breaker.nextAttemptAt + TRIAL_LEASE_MS);
    this.claimAt(keyId, claim, breaker.nextAttemptAt);
  }

  drop(keyId: number): void {
    const claim = this.claims.get(keyId);
    if (!claim) return;
    clearTimeout(claim.timer);
    this.claims.delete(keyId);
    this.health.holdTrial(keyId, 0);
  }

  stop(): void {
    for (const claim of this.claims.values()) clearTimeout(claim.timer);
    this.claims.clear();
  }

  private claimAt(keyId: number, claim: Claim, at: number): void {
    const delay = Math.max(0, at - this.health.now());
    claim.timer = setTimeout(() => void this.claim(keyId, claim), delay).unref();
  }

  private async claim(keyId: number, claim: Claim): Promise<void> {
    const name = this.redisKey(`trial:${keyId}:${claim.openedCount}`);
    let heldFor: number;
    try {
      const won = await this.redis.set(name, this.replicaId, 'PX', TRIAL_LEASE_MS, 'NX');
      heldFor = won === 'OK' ? 0 : await this.othersLease(name);
    } catch {
      heldFor = 0; // Redis cannot coordinate: this replica sends its own trial
    }
    if (this.claims.get(keyId) !== claim) return; // the breaker moved on meanwhile
    if (heldFor <= 0) return this.health.holdTrial(keyId, 0);
    const until = this.health.now() + heldFor;
    this.health.holdTrial(keyId, until);
    this.claimAt(keyId, claim, until);
  }

  /** How long another replica's claim still runs (0 when it is this replica's own, or has lapsed). */
  private async othersLease(name: string): Promise<number> {
    const [holder, ttl] = await Promise.all([this.redis.get(name), this.redis.pttl(name)]);
    return holder === this.replicaId ? 0 : Math.max(0, ttl);
  }
}
