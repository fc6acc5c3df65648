import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { ProviderGroup } from '../providers/provider-group.entity.js';
import { ProxyKey } from './proxy-key.entity.js';
import { ProxyKeysController } from './proxy-keys.controller.js';
import { ProxyKeysService } from './proxy-keys.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ProxyKey, ProviderGroup]), AuditModule],
  controllers: [ProxyKeysController],
  providers: [ProxyKeysService],
  exports: [ProxyKeysService],
})
export class ProxyKeysModule {}
