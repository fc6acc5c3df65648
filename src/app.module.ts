import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { CommonModule } from './common/common.module.js';
import { accessLoggerOf } from './common/logging/logger.js';
import { ACCESS_LOGGER } from './common/logging/logger.token.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { ConfigSyncModule } from './config-sync/config-sync.module.js';
import { DatabaseModule } from './database/database.module.js';
import { DeclarativeConfigModule } from './declarative-config/declarative-config.module.js';
import { HealthModule } from './health/health.module.js';
import { KeyHealthModule } from './key-health/key-health.module.js';
import { KeyHealthSyncModule } from './key-health-sync/key-health-sync.module.js';
import { LeaseModule } from './lease/lease.module.js';
import { OperationsModule } from './operations/operations.module.js';
import { ProvidersModule } from './providers/providers.module.js';
import { ProxyModule } from './proxy/proxy.module.js';
import { ProxyKeysModule } from './proxy-keys/proxy-keys.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RoutingLoaderModule } from './routing-loader/routing-loader.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { StatsModule } from './stats/stats.module.js';
import { UpstreamModule } from './upstream/upstream.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule,
        RedisModule,
        LeaseModule,
        EventEmitterModule.forRoot({ wildcard: false }),
        AuthModule,
        AuditModule,
        SettingsModule,
        ProvidersModule,
        ProxyKeysModule,
        UpstreamModule,
        KeyHealthModule,
        RoutingLoaderModule,
        DeclarativeConfigModule,
        HealthModule,
        StatsModule,
        ProxyModule,
        OperationsModule,
        ConfigSyncModule,
        KeyHealthSyncModule,
      ],
      providers: [
        { provide: ACCESS_LOGGER, useValue: accessLoggerOf(logger) },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [ACCESS_LOGGER],
    };
  }
}
