import { Global, Logger, Module } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { Setting } from './setting.entity.js';
import { SettingsController } from './settings.controller.js';
import { STORED_SETTINGS, SettingsService } from './settings.service.js';

// Global so that any module can register its section without importing this one.
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Setting]), AuditModule],
  controllers: [SettingsController],
  providers: [
    {
      // Loaded while providers are created, i.e. before any onModuleInit registers a section.
      provide: STORED_SETTINGS,
      inject: [getRepositoryToken(Setting)],
      useFactory: readStoredSettings,
    },
    SettingsService,
  ],
  exports: [SettingsService],
})
export class SettingsModule {}

/** Every stored settings row, parsed (rows that are not JSON are skipped with a warning). */
export async function readStoredSettings(repo: Repository<Setting>): Promise<Map<string, unknown>> {
  return new Map((await repo.find()).flatMap((row) => parsed(row)));
}

function parsed(row: Setting): Array<[string, unknown]> {
  try {
    return [[row.key, JSON.parse(row.value) as unknown]];
  } catch {
    new Logger(SettingsModule.name).warn(`Stored setting "${row.key}" is not valid JSON; ignored`);
    return [];
  }
}
