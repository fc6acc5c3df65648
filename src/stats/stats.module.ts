import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ProviderUsageStat } from './entities/provider-usage-stat.entity.js';
import { RequestLog } from './entities/request-log.entity.js';
import { LogsController } from './logs/logs.controller.js';
import { LogsService } from './logs/logs.service.js';
import { RetentionService } from './recorder/retention.service.js';
import { DEFAULT_USAGE_RECORDER_OPTIONS, USAGE_RECORDER_OPTIONS } from './recorder/usage-recorder.options.js';
import { UsageRecorder } from './recorder/usage-recorder.service.js';
import { UsageWriter } from './recorder/usage-writer.service.js';
import { RequestLoggingSettings } from './request-logging.settings.js';
import { StatsController } from './usage/stats.controller.js';
import { UsageStatsService } from './usage/usage-stats.service.js';

/**
 * Usage accounting: the recorder the proxy pushes to, request logs and hourly aggregates, the
 * admin logs and stats queries, and (through MetricsModule) Prometheus `/metrics`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RequestLog, ProviderUsageStat]),
    ScheduleModule.forRoot(),
    MetricsModule,
  ],
  controllers: [LogsController, StatsController],
  providers: [
    { provide: USAGE_RECORDER_OPTIONS, useValue: DEFAULT_USAGE_RECORDER_OPTIONS },
    UsageWriter,
    UsageRecorder,
    RequestLoggingSettings,
    RetentionService,
    LogsService,
    UsageStatsService,
  ],
  exports: [UsageRecorder, RequestLoggingSettings, UsageStatsService, MetricsModule],
})
export class StatsModule {}
