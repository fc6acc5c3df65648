import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { CommonModule } from './common/common.module.js';
import { PINO_LOGGER } from './common/logging/logger.token.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { DASHBOARD_DIR } from './paths.js';

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
        AuthModule,
        HealthModule,
        ServeStaticModule.forRoot({ rootPath: DASHBOARD_DIR, serveRoot: '/dashboard' }),
      ],
      providers: [
        { provide: PINO_LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [PINO_LOGGER],
    };
  }
}
