import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { BreakerState } from '../key-health/circuit-breaker.js';

/**
 * The persisted health of one upstream key (seed 000's `provider_validations`): the scheduled
 * checks' counters and what HealthState needs to come back after a restart (breaker, invalid
 * mark, unhealthy-until). Written on transitions and check results, never per proxied request.
 */
@Entity('provider_validations')
export class ProviderValidation {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_provider_validations_key', { unique: true })
  @Column({ name: 'upstream_key_id', type: 'integer' })
  upstreamKeyId: number;

  @Index('IDX_provider_validations_group')
  @Column({ name: 'group_id', type: 'integer' })
  groupId: number;

  /** `healthy`, `recovering` or `unhealthy` when written. */
  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Index('IDX_provider_validations_healthy')
  @Column({ name: 'is_healthy', type: 'boolean' })
  isHealthy: boolean;

  /** Failed scheduled checks in a row; reset by a passed check. */
  @Column({ name: 'error_count', type: 'integer' })
  errorCount: number;

  /** The breaker's count (live traffic and checks). */
  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures: number;

  @Column({ name: 'consecutive_successes', type: 'integer' })
  consecutiveSuccesses: number;

  /** The current problem (cleared by a success); redacted, at most 500 characters. */
  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;

  /** The most recent failure, kept after a success clears `last_error`; redacted, ≤ 500 characters. */
  @Column({ name: 'last_failure', type: 'varchar', length: 500, nullable: true })
  lastFailure: string | null;

  @Column({ name: 'last_status_code', type: 'integer', nullable: true })
  lastStatusCode: number | null;

  @Index('IDX_provider_validations_checked')
  @Column({ name: 'last_check_at', type: 'datetime', nullable: true })
  lastCheckAt: Date | null;

  @Column({ name: 'last_success_at', type: 'datetime', nullable: true })
  lastSuccessAt: Date | null;

  @Column({ name: 'last_failure_at', type: 'datetime', nullable: true })
  lastFailureAt: Date | null;

  /** Unhealthy by the checks: not routed to nor checked again before this time. */
  @Column({ name: 'next_retry_at', type: 'datetime', nullable: true })
  nextRetryAt: Date | null;

  @Column({ name: 'breaker_state', type: 'varchar', length: 16 })
  breakerState: BreakerState;

  /** Back-off level: how many times the breaker opened in a row. */
  @Column({ name: 'backoff_level', type: 'integer' })
  backoffLevel: number;

  @Column({ name: 'breaker_next_attempt_at', type: 'datetime', nullable: true })
  breakerNextAttemptAt: Date | null;

  @Column({ name: 'breaker_successes', type: 'integer' })
  breakerSuccesses: number;

  /** JSON array of epoch ms: the closed breaker's current failure streak. */
  @Column({ name: 'breaker_recent_failures', type: 'varchar', length: 500, nullable: true })
  breakerRecentFailures: string | null;

  /** Set while the key is marked invalid (401/403); the status that marked it. */
  @Column({ name: 'invalid_status', type: 'integer', nullable: true })
  invalidStatus: number | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
