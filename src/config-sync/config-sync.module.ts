import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Setting } from '../settings/setting.entity.js';
import { ConfigSync } from './config-sync.service.js';
import { ConfigVersion } from './config-version.entity.js';

/** Makes a configuration change on one replica reach all of them (Redis pub/sub or a polled version). */
@Module({
  imports: [TypeOrmModule.forFeature([ConfigVersion, Setting])],
  providers: [ConfigSync],
  exports: [ConfigSync],
})
export class ConfigSyncModule {}
