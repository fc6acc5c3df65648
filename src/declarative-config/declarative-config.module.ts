import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProvidersModule } from '../providers/providers.module.js';
import { ProxyKeysModule } from '../proxy-keys/proxy-keys.module.js';
import { DeclarativeConfigService } from './declarative-config.service.js';
import { DeclaredEntity } from './declared-entity.entity.js';
import { DeclaredGroupsApplier } from './declared-groups.applier.js';
import { DeclaredProxyKeysApplier } from './declared-proxy-keys.applier.js';
import { DeclaredRecords } from './declared-records.js';

/** Groups and proxy keys declared in the configuration file, applied at start. */
@Module({
  imports: [TypeOrmModule.forFeature([DeclaredEntity]), ProvidersModule, ProxyKeysModule],
  providers: [DeclarativeConfigService, DeclaredGroupsApplier, DeclaredProxyKeysApplier, DeclaredRecords],
  exports: [DeclarativeConfigService],
})
export class DeclarativeConfigModule {}
