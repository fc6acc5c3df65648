import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { ProvidersModule } from '../providers/providers.module.js';
import { UpstreamKey } from '../providers/upstream-key.entity.js';
import { RoutingLoaderModule } from '../routing-loader/routing-loader.module.js';
import { StatsModule } from '../stats/stats.module.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { ALERT_DELIVERY_OPTIONS, DEFAULT_ALERT_DELIVERY_OPTIONS } from './alerts/alert-delivery.options.js';
import { AlertDispatcher } from './alerts/alert-dispatcher.service.js';
import { AlertsTestController } from './alerts/alerts-test.controller.js';
import { FailoverEvent } from './failover-event.entity.js';
import { FailoverEventsController } from './failover-events.controller.js';
import { FailoverEventsService } from './failover-events.service.js';
import { FailoverEventsWriter } from './failover-events.writer.js';
import { GroupRoster } from './group-roster.js';
import { GroupTestController } from './group-test.controller.js';
import { HealthApiController } from './health-api.controller.js';
import { HealthCheckConfig } from './health-check-config.entity.js';
import { HealthCheckConfigService } from './health-check-config.service.js';
import { HealthCheckScheduler } from './health-check.scheduler.js';
import { DEFAULT_HEALTH_CHECK_TIMING, HEALTH_CHECK_TIMING } from './health-check.timing.js';
import { HealthChecker } from './health-checker.service.js';
import { HealthPersistence } from './health-persistence.service.js';
import { KeyHealthModule } from '../key-health/key-health.module.js';
import { HealthTransitions } from './health-transitions.service.js';
import { KeyProber } from './key-prober.service.js';
import { ProviderHealthService } from './provider-health.service.js';
import { ProviderValidation } from './provider-validation.entity.js';

/**
 * Scheduled health checks, the persistence of key health, failover events, alerts and the health
 * API (`/api/*`). The live HealthState is KeyHealthModule's. The schedule's registry comes from
 * ScheduleModule.forRoot() (global, imported by StatsModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ProviderValidation,
      HealthCheckConfig,
      FailoverEvent,
      ProviderGroup,
      UpstreamKey,
    ]),
    AuditModule,
    ProvidersModule,
    RoutingLoaderModule,
    StatsModule,
    UpstreamModule,
    KeyHealthModule,
  ],
  controllers: [HealthApiController, GroupTestController, FailoverEventsController, AlertsTestController],
  providers: [
    // Fresh copies: tests tune one app's timing without touching another's.
    { provide: HEALTH_CHECK_TIMING, useFactory: () => ({ ...DEFAULT_HEALTH_CHECK_TIMING }) },
    { provide: ALERT_DELIVERY_OPTIONS, useFactory: () => ({ ...DEFAULT_ALERT_DELIVERY_OPTIONS }) },
    GroupRoster,
    HealthPersistence,
    FailoverEventsWriter,
    FailoverEventsService,
    AlertDispatcher,
    HealthTransitions,
    HealthCheckConfigService,
    KeyProber,
    HealthChecker,
    HealthCheckScheduler,
    ProviderHealthService,
  ],
  exports: [ProviderHealthService],
})
export class HealthModule {}
