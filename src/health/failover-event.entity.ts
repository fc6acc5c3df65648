import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One key transition (seed 003's `failover_events`): breaker open / half-open / closed, invalid /
 * valid, unhealthy / recovered, 429 cooldowns. Names are copied so history outlives the config.
 */
@Entity('failover_events')
@Index('IDX_failover_events_group_at', ['groupId', 'at'])
@Index('IDX_failover_events_key_at', ['upstreamKeyId', 'at'])
export class FailoverEvent {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_failover_events_at')
  @Column({ type: 'datetime' })
  at: Date;

  @Column({ name: 'group_id', type: 'integer' })
  groupId: number;

  @Column({ name: 'group_name', type: 'varchar', length: 128 })
  groupName: string;

  @Column({ name: 'upstream_key_id', type: 'integer' })
  upstreamKeyId: number;

  /** e.g. `sk-…abcd`; never the secret. */
  @Column({ name: 'key_masked', type: 'varchar', length: 32 })
  keyMasked: string;

  @Column({ name: 'event_type', type: 'varchar', length: 32 })
  eventType: string;

  @Column({ name: 'from_state', type: 'varchar', length: 16 })
  fromState: string;

  @Column({ name: 'to_state', type: 'varchar', length: 16 })
  toState: string;

  /** HealthState's reason, e.g. `failure_threshold`, `trial_failed`, `marked_invalid`. */
  @Column({ type: 'varchar', length: 32 })
  reason: string;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  /** Redacted, at most 500 characters. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @Column({ name: 'consecutive_failures', type: 'integer' })
  consecutiveFailures: number;

  @Column({ name: 'next_retry_seconds', type: 'integer', nullable: true })
  nextRetrySeconds: number | null;
}
