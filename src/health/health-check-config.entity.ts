import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Seed 000's `health_check_configs`: one row, changed at run time by `PUT /api/health-check/config`. */
@Entity('health_check_configs')
export class HealthCheckConfig {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'interval_minutes', type: 'integer' })
  intervalMinutes: number;

  @Column({ name: 'max_error_count', type: 'integer' })
  maxErrorCount: number;

  @Column({ name: 'retry_after_hours', type: 'double' })
  retryAfterHours: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
