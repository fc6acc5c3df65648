import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { diffChanges } from '../audit/audit-changes.js';
import { AuditService } from '../audit/audit.service.js';
import { CheckSettings, DEFAULT_CHECK_SETTINGS } from './check-bookkeeping.js';
import { HealthCheckConfigDto, UpdateHealthCheckConfigDto } from './dto/health-check-config.dto.js';
import { HealthCheckConfig } from './health-check-config.entity.js';

/** The one health_check_configs row, cached: created with the defaults on first start. */
@Injectable()
export class HealthCheckConfigService implements OnModuleInit {
  private current: CheckSettings = DEFAULT_CHECK_SETTINGS;

  constructor(
    @InjectRepository(HealthCheckConfig) private readonly rows: Repository<HealthCheckConfig>,
    private readonly audit: AuditService,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!(await this.reload())) await this.rows.insert({ ...DEFAULT_CHECK_SETTINGS });
  }

  /** Re-reads the row (another replica may have changed it); false when there is none yet. */
  async reload(): Promise<boolean> {
    const row = await this.rows.findOne({ where: {}, order: { id: 'ASC' } });
    if (row) this.current = settingsOf(row);
    return row !== null;
  }

  get(): CheckSettings {
    return this.current;
  }

  /** Stores and audits the change; the caller reschedules the job. */
  async update(patch: UpdateHealthCheckConfigDto, actor: string): Promise<CheckSettings> {
    const next: CheckSettings = {
      enabled: patch.enabled ?? this.current.enabled,
      intervalMinutes: patch.interval_minutes ?? this.current.intervalMinutes,
      maxErrorCount: patch.max_error_count ?? this.current.maxErrorCount,
      retryAfterHours: patch.retry_after_hours ?? this.current.retryAfterHours,
    };
    const changes = diffChanges({ ...toWire(this.current) }, { ...toWire(next) });
    if (Object.keys(changes).length === 0) return this.current;
    await this.audit.transaction(async (manager) => {
      const repo = manager.getRepository(HealthCheckConfig);
      const row = (await repo.findOne({ where: {}, order: { id: 'ASC' } })) ?? repo.create();
      await repo.save(Object.assign(row, next));
      await this.audit.record(manager, { actor, action: 'update', entity: 'health_check_config', changes });
    });
    this.current = next;
    return next;
  }
}

export function toWire(settings: CheckSettings): HealthCheckConfigDto {
  return {
    enabled: settings.enabled,
    interval_minutes: settings.intervalMinutes,
    max_error_count: settings.maxErrorCount,
    retry_after_hours: settings.retryAfterHours,
  };
}

function settingsOf(row: HealthCheckConfig): CheckSettings {
  return {
    enabled: Boolean(row.enabled),
    intervalMinutes: row.intervalMinutes,
    maxErrorCount: row.maxErrorCount,
    retryAfterHours: Number(row.retryAfterHours),
  };
}
