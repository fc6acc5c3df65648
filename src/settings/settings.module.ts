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
      useFactory: async (repo: Repository<Setting>) =>
        new Map((await repo.find()).flatMap((row) => parsed(row))),
    },
    SettingsService,
  ],
  exports: [SettingsService],
})
export class SettingsModule {}

function parsed(row: Setting): Array<[string, unknown]> {
  try {
    return [[row.key, JSON.parse(row.value) as unknown]];
  } catch {
    new Logger(SettingsModule.name).warn(`Stored setting "${row.key}" is not valid JSON; ignored`);
    return [];
  }
}
