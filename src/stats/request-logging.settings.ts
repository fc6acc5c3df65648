import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { SettingsService } from '../settings/settings.service.js';
import {
  REQUEST_LOGGING_SECTION,
  RequestLoggingOptions,
  requestLoggingDefaults,
  validateRequestLogging,
} from './request-logging.options.js';

const DAY_MS = 86_400_000;

/**
 * The `requestLogging` section of `/admin/settings`: the environment gives the defaults, an
 * admin's change applies to the next batch written. The proxy may read `current().detailedContent`
 * to decide whether to capture bodies at all.
 */
@Injectable()
export class RequestLoggingSettings implements OnModuleInit {
  constructor(
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.settings.registerSection<RequestLoggingOptions>(REQUEST_LOGGING_SECTION, {
      defaults: requestLoggingDefaults(this.config),
      validate: validateRequestLogging,
    });
  }

  current(): RequestLoggingOptions {
    return this.settings.get<RequestLoggingOptions>(REQUEST_LOGGING_SECTION);
  }

  /** Rows older than this are past `retentionDays` (request logs and failover events alike). */
  retentionCutoff(now = new Date()): Date {
    return new Date(now.getTime() - this.current().retentionDays * DAY_MS);
  }
}
