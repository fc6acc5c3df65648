import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintColumn } from '../../common/column-transformers.js';

/**
 * One hourly bucket per (hour, group, upstream key, model, proxy key), upserted by the usage
 * writer. Key columns hold 0 (not NULL) for "none", because NULLs never collide in a unique key.
 */
@Entity('provider_usage_stats')
@Index('UQ_provider_usage_stats_bucket', ['hourStart', 'groupId', 'upstreamKeyId', 'model', 'proxyKeyId'], {
  unique: true,
})
export class ProviderUsageStat {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'hour_start', type: 'datetime' })
  hourStart: Date;

  @Column({ name: 'group_id', type: 'integer' })
  groupId: number;

  @Column({ name: 'upstream_key_id', type: 'integer' })
  upstreamKeyId: number;

  @Column({ type: 'varchar', length: 200 })
  model: string;

  @Column({ name: 'proxy_key_id', type: 'integer' })
  proxyKeyId: number;

  /** The latest names seen, so reports stay readable after a rename or delete. */
  @Column({ name: 'group_name', type: 'varchar', length: 128, nullable: true })
  groupName: string | null;

  @Column({ name: 'proxy_key_name', type: 'varchar', length: 128, nullable: true })
  proxyKeyName: string | null;

  @Column({ type: 'integer' })
  requests: number;

  @Column({ type: 'integer' })
  successes: number;

  @Column({ type: 'integer' })
  failures: number;

  @Column({ name: 'prompt_tokens', type: 'bigint', transformer: bigintColumn })
  promptTokens: number;

  @Column({ name: 'completion_tokens', type: 'bigint', transformer: bigintColumn })
  completionTokens: number;

  @Column({ name: 'total_tokens', type: 'bigint', transformer: bigintColumn })
  totalTokens: number;

  @Column({ name: 'latency_ms_sum', type: 'bigint', transformer: bigintColumn })
  latencyMsSum: number;
}
